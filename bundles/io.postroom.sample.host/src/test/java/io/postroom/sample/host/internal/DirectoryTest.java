package io.postroom.sample.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.spi.User;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    private static final TenantId DEMO = TenantId.of("demo");

    private final HostConfig config = HostConfig.parse("demo", "Demo Company", "karaf", "Standard", Map.of(
            "user.alice.firstName", "Alice",
            "user.alice.lastName", "Archer",
            "user.alice.email", "alice@example.com",
            "user.bob.plan", "Free"));

    private final Directory directory = new Directory(config, () -> List.of(
            new RealmUser("admin", Set.of("admin", "manager", "viewer", "ssh")),
            new RealmUser("alice", Set.of("manager", "viewer")),
            new RealmUser("bob", Set.of("viewer"))));

    @Test
    void realmUsersAreTheTenantsUsersWithTheirProfiles() {
        User alice = directory.user(DEMO, UserId.of("alice")).orElseThrow();

        assertThat(alice.displayName()).isEqualTo("Alice Archer");
        assertThat(alice.email()).isEqualTo(EmailAddress.of("alice@example.com"));
        assertThat(alice.roles()).containsExactly(User.MANAGER);
        assertThat(directory.users(DEMO)).extracting(u -> u.id().value()).containsExactly("admin", "alice", "bob");
    }

    @Test
    void jaasRolesMapToManagerAndAdminOnly() {
        assertThat(directory.user(DEMO, UserId.of("admin")).orElseThrow().roles())
                .containsExactlyInAnyOrder(User.ADMIN, User.MANAGER);
        User bob = directory.user(DEMO, UserId.of("bob")).orElseThrow();
        assertThat(bob.roles()).isEmpty();
        assertThat(bob.displayName()).isEqualTo("bob");
        assertThat(bob.email()).isNull();
    }

    @Test
    void otherTenantsAndUnknownUsersDoNotExist() {
        TenantId other = TenantId.of("other");
        assertThat(directory.tenant(other)).isEmpty();
        assertThat(directory.user(other, UserId.of("alice"))).isEmpty();
        assertThat(directory.users(other)).isEmpty();
        assertThat(directory.user(DEMO, UserId.of("mallory"))).isEmpty();
        assertThat(directory.tenant(DEMO).orElseThrow().name()).isEqualTo("Demo Company");
    }

    @Test
    void plansComeFromTheConfiguration() {
        assertThat(directory.plan(UserId.of("bob"))).isSameAs(Plans.FREE);
        assertThat(directory.plan(UserId.of("alice"))).isSameAs(Plans.STANDARD);
    }
}
