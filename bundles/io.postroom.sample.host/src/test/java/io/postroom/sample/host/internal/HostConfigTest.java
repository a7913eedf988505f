package io.postroom.sample.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostConfigTest {

    private static HostConfig parse(Map<String, ?> properties) {
        return HostConfig.parse("demo", "Demo Company", "karaf", "Standard", properties);
    }

    @Test
    void readsTenantRealmAndDefaultPlan() {
        HostConfig config = HostConfig.parse("acme", "ACME Inc.", "crm", "free", Map.of());

        assertThat(config.tenant().id()).isEqualTo(TenantId.of("acme"));
        assertThat(config.tenant().name()).isEqualTo("ACME Inc.");
        assertThat(config.realm()).isEqualTo("crm");
        assertThat(config.defaultPlan()).isSameAs(Plans.FREE);
    }

    @Test
    void readsProfilesPerUser() {
        HostConfig config = parse(Map.of(
                "user.alice.firstName", "Alice",
                "user.alice.lastName", " Archer ",
                "user.alice.email", "alice@example.com",
                "user.bob.plan", "Free",
                "user.admin.plan", "Professional",
                "felix.fileinstall.filename", "file:/opt/karaf/etc/io.postroom.sample.host.cfg"));

        assertThat(config.profile("alice")).isEqualTo(
                new HostConfig.Profile("Alice", "Archer", EmailAddress.of("alice@example.com"), null));
        assertThat(config.plan("alice")).isSameAs(Plans.STANDARD);
        assertThat(config.plan("bob")).isSameAs(Plans.FREE);
        assertThat(config.plan("admin")).isSameAs(Plans.PROFESSIONAL);
        assertThat(config.plan("nobody")).isSameAs(Plans.STANDARD);
        assertThat(config.profile("nobody")).isEqualTo(HostConfig.Profile.NONE);
    }

    @Test
    void userIdsMayContainDotsAndAttributesIgnoreCase() {
        HostConfig config = parse(Map.of("user.john.doe.FIRSTNAME", "John", "user.john.doe.plan", "free"));

        assertThat(config.profile("john.doe").firstName()).isEqualTo("John");
        assertThat(config.plan("john.doe")).isSameAs(Plans.FREE);
    }

    @Test
    void blankEmailMeansNone() {
        assertThat(parse(Map.of("user.carol.email", " ")).profile("carol").email()).isNull();
    }

    @Test
    void unknownAttributeIsRefusedWithTheKey() {
        assertThatThrownBy(() -> parse(Map.of("user.alice.firstname", "Alice", "user.alice.nickname", "Al")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user.alice.nickname: unknown attribute 'nickname'; use firstName, lastName, email or plan.");
    }

    @Test
    void keyWithoutUserIdIsRefused() {
        assertThatThrownBy(() -> parse(Map.of("user.plan", "Free")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user.plan: expected user.<user id>.<attribute>");
    }

    @Test
    void invalidEmailIsRefusedWithTheKey() {
        assertThatThrownBy(() -> parse(Map.of("user.alice.email", "alice-at-example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user.alice.email: 'alice-at-example.com' is not a valid e-mail address");
    }

    @Test
    void unknownPlanIsRefusedWithTheKey() {
        assertThatThrownBy(() -> parse(Map.of("user.bob.plan", "Gold")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user.bob.plan = 'Gold' is not a plan");
        assertThatThrownBy(() -> HostConfig.parse("demo", "Demo", "karaf", "Platinum", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("plan.default = 'Platinum' is not a plan");
    }

    @Test
    void blankTenantOrRealmIsRefused() {
        assertThatThrownBy(() -> HostConfig.parse(" ", "Demo", "karaf", "Standard", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant: The tenant id is missing.");
        assertThatThrownBy(() -> HostConfig.parse("demo", "Demo", "", "Standard", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("realm must name a JAAS realm, such as 'karaf'.");
    }

    @Test
    void blankTenantNameFallsBackToTheId() {
        assertThat(HostConfig.parse("demo", "", "karaf", "Standard", Map.of()).tenant().name()).isEqualTo("demo");
    }
}
