package io.postroom.sample.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.properties.PropertiesBackingEngineFactory;
import org.apache.karaf.jaas.modules.properties.PropertiesLoginModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Karaf's own properties backing engine over a users.properties file, as in the standalone. */
class JaasRealmUsersTest {

    @TempDir
    Path dir;

    /** A realm as Karaf's own: each entry names ProxyLoginModule and carries the real module as an option. */
    private static JaasRealm realm(String name, Path users) {
        AppConfigurationEntry entry = new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                LoginModuleControlFlag.SUFFICIENT, Map.of("users", users.toString(),
                        ProxyLoginModule.PROPERTY_MODULE, PropertiesLoginModule.class.getName()));
        return new JaasRealm() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return new AppConfigurationEntry[] {entry};
            }
        };
    }

    @Test
    void listsUsersWithTheRolesOfTheirGroups() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, """
                admin = admin, _g_:admingroup
                alice = alice, _g_:usergroup, manager
                bob = bob, _g_:usergroup
                _g_\\:admingroup = group, admin, manager, viewer
                _g_\\:usergroup = group, viewer, ssh
                """);

        List<RealmUser> listed = new JaasRealmUsers("karaf", List.of(realm("other", dir.resolve("none")), realm("karaf", users)),
                List.of(new PropertiesBackingEngineFactory())).get();

        assertThat(listed).containsExactlyInAnyOrder(
                new RealmUser("admin", java.util.Set.of("admin", "manager", "viewer")),
                new RealmUser("alice", java.util.Set.of("manager", "viewer", "ssh")),
                new RealmUser("bob", java.util.Set.of("viewer", "ssh")));
    }

    @Test
    void readsKarafsOwnCompactFormatAndNestedGroups() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, """
                karaf = karaf,_g_:admingroup
                _g_\\:admingroup = group,admin,_g_:base
                _g_\\:base = group,viewer
                """);

        assertThat(new JaasRealmUsers("karaf", List.of(realm("karaf", users)), List.of(new PropertiesBackingEngineFactory())).get())
                .containsExactly(new RealmUser("karaf", java.util.Set.of("admin", "viewer")));
    }

    @Test
    void groupCyclesWithSpacesEndAfterOneRound() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, """
                carol = carol, _g_:a
                _g_\\:a = group, viewer, _g_:b
                _g_\\:b = group, manager, _g_:a
                """);

        assertThat(new JaasRealmUsers("karaf", List.of(realm("karaf", users)), List.of(new PropertiesBackingEngineFactory())).get())
                .containsExactly(new RealmUser("carol", java.util.Set.of("viewer", "manager")));
    }

    @Test
    void editsToTheFileShowAfterTheCacheExpires() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "alice = alice,manager\n");
        JaasRealmUsers source = new JaasRealmUsers("karaf", List.of(realm("karaf", users)), List.of(new PropertiesBackingEngineFactory()));
        assertThat(source.get()).extracting(RealmUser::name).containsExactly("alice");

        Files.writeString(users, "alice = alice,manager\ndave = dave,viewer\n");
        Thread.sleep(JaasRealmUsers.CACHE.toMillis() + 100);

        assertThat(source.get()).extracting(RealmUser::name).containsExactlyInAnyOrder("alice", "dave");
    }

    @Test
    void realmsThatNameTheModuleDirectlyWorkToo() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "alice = alice,manager\n");
        AppConfigurationEntry direct = new AppConfigurationEntry(PropertiesLoginModule.class.getName(),
                LoginModuleControlFlag.REQUIRED, Map.of("users", users.toString()));
        JaasRealm realm = new JaasRealm() {
            @Override
            public String getName() {
                return "karaf";
            }

            @Override
            public int getRank() {
                return 0;
            }

            @Override
            public AppConfigurationEntry[] getEntries() {
                return new AppConfigurationEntry[] {direct};
            }
        };

        assertThat(new JaasRealmUsers("karaf", List.of(realm), List.of(new PropertiesBackingEngineFactory())).get())
                .containsExactly(new RealmUser("alice", java.util.Set.of("manager")));
    }

    @Test
    void unknownRealmHasNoUsers() {
        assertThat(new JaasRealmUsers("karaf", List.of(), List.of(new PropertiesBackingEngineFactory())).get()).isEmpty();
    }

    @Test
    void realmWithoutMatchingEngineHasNoUsers() throws Exception {
        Path users = dir.resolve("users.properties");
        Files.writeString(users, "alice = alice, manager\n");

        assertThat(new JaasRealmUsers("karaf", List.of(realm("karaf", users)), List.of()).get()).isEmpty();
    }
}
