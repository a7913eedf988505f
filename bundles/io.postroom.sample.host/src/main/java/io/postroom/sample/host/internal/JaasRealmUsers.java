package io.postroom.sample.host.internal;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.GroupPrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngine;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the users of a Karaf JAAS realm the way {@code jaas:user-list} does: for each login module
 * of the realm, the backing engine of that module type (for {@code PropertiesLoginModule} that is
 * etc/users.properties) lists users, and their roles including those of their groups. The answer
 * is kept for a short while; after that the engines read their source again, so edits to
 * users.properties show up within seconds.
 */
final class JaasRealmUsers implements Supplier<List<RealmUser>> {
    static final Duration CACHE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(JaasRealmUsers.class);

    private final String realmName;
    private final List<JaasRealm> realms;
    private final List<BackingEngineFactory> factories;
    private final Object lock = new Object();
    private List<RealmUser> cached = List.of();
    private long readAt;
    private boolean warned;

    JaasRealmUsers(String realmName, List<JaasRealm> realms, List<BackingEngineFactory> factories) {
        this.realmName = realmName;
        this.realms = List.copyOf(realms);
        this.factories = List.copyOf(factories);
    }

    @Override
    public List<RealmUser> get() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > CACHE.toNanos()) {
                cached = read();
                readAt = now;
            }
            return cached;
        }
    }

    private List<RealmUser> read() {
        Optional<JaasRealm> realm = realms.stream()
                .filter(r -> realmName.equals(r.getName()))
                .max(Comparator.comparingInt(JaasRealm::getRank));
        if (realm.isEmpty()) {
            warnOnce("There is no JAAS realm '" + realmName + "': the sample host has no users.");
            return List.of();
        }
        Map<String, Set<String>> rolesByUser = new LinkedHashMap<>();
        boolean anyEngine = false;
        for (AppConfigurationEntry entry : realm.get().getEntries()) {
            String module = moduleClass(entry);
            for (BackingEngineFactory factory : factories) {
                if (!factory.getModuleClass().equals(module)) {
                    continue;
                }
                BackingEngine engine = factory.build(entry.getOptions());
                if (engine == null) {
                    continue;
                }
                anyEngine = true;
                for (UserPrincipal user : engine.listUsers()) {
                    Set<String> roles = rolesByUser.computeIfAbsent(user.getName().strip(), u -> new HashSet<>());
                    collectRoles(engine, user, roles, new HashSet<>());
                }
            }
        }
        if (!anyEngine) {
            warnOnce("No JAAS backing engine can list the users of realm '" + realmName + "'.");
        }
        List<RealmUser> users = new ArrayList<>(rolesByUser.size());
        rolesByUser.forEach((name, roles) -> users.add(new RealmUser(name, roles)));
        return List.copyOf(users);
    }

    /** Karaf's realms name {@code ProxyLoginModule} and put the real module into an option. */
    private static String moduleClass(AppConfigurationEntry entry) {
        Object proxied = entry.getOptions().get(ProxyLoginModule.PROPERTY_MODULE);
        return proxied != null ? proxied.toString() : entry.getLoginModuleName();
    }

    /**
     * Adds the roles of a user or group, following groups. Karaf's properties engine resolves
     * groups only when users.properties has no space after the commas (its login module trims, the
     * engine does not), so groups are followed here.
     */
    private static void collectRoles(BackingEngine engine, Principal principal, Set<String> roles, Set<String> groupsSeen) {
        for (Principal role : engine.listRoles(principal)) {
            String name = role.getName().strip();
            if (name.startsWith(BackingEngine.GROUP_PREFIX)) {
                String group = name.substring(BackingEngine.GROUP_PREFIX.length()).strip();
                if (groupsSeen.add(group)) {
                    collectRoles(engine, new GroupPrincipal(group), roles, groupsSeen);
                }
            } else if (!name.isEmpty()) {
                roles.add(name);
            }
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.warn(message);
        }
    }
}
