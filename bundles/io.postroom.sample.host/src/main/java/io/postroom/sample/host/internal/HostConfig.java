package io.postroom.sample.host.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.Tenant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sample host's configuration (PID {@code io.postroom.sample.host}): one tenant, the JAAS realm
 * its users come from, a default plan, and per-user profiles read from keys of the form
 * {@code user.<user id>.<attribute>} with the attributes {@code firstName}, {@code lastName},
 * {@code email} and {@code plan}. A user id may itself contain dots ({@code user.john.doe.plan}).
 *
 * @param tenant      the one tenant every user of the realm belongs to
 * @param realm       the JAAS realm whose users are the tenant's users
 * @param defaultPlan the plan of users without {@code user.<id>.plan}
 * @param profiles    names, addresses and plans by user id
 */
record HostConfig(Tenant tenant, String realm, Plan defaultPlan, Map<String, Profile> profiles) {
    static final String USER_PREFIX = "user.";

    /** What the configuration says about one user; every field may be empty or null. */
    record Profile(String firstName, String lastName, EmailAddress email, Plan plan) {
        static final Profile NONE = new Profile("", "", null, null);

        Profile {
            firstName = firstName == null ? "" : firstName;
            lastName = lastName == null ? "" : lastName;
        }
    }

    HostConfig {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(defaultPlan, "defaultPlan");
        profiles = Map.copyOf(profiles);
    }

    Profile profile(String user) {
        return profiles.getOrDefault(user, Profile.NONE);
    }

    Plan plan(String user) {
        return Optional.ofNullable(profile(user).plan()).orElse(defaultPlan);
    }

    /**
     * Reads the configuration.
     *
     * @param tenant      value of {@code tenant}
     * @param tenantName  value of {@code name}
     * @param realm       value of {@code realm}
     * @param defaultPlan value of {@code plan.default}
     * @param properties  all properties, for the {@code user.*} keys (others are ignored)
     * @throws IllegalArgumentException naming the key that is wrong and what it should be
     */
    static HostConfig parse(String tenant, String tenantName, String realm, String defaultPlan, Map<String, ?> properties) {
        TenantId tenantId;
        try {
            tenantId = TenantId.of(tenant);
        } catch (PostroomException e) {
            throw new IllegalArgumentException("tenant: " + e.getMessage(), e);
        }
        if (realm == null || realm.isBlank()) {
            throw new IllegalArgumentException("realm must name a JAAS realm, such as 'karaf'.");
        }
        Plan fallback = Plans.named("plan.default", defaultPlan);

        Map<String, Builder> builders = new HashMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(USER_PREFIX)) {
                continue;
            }
            int lastDot = key.lastIndexOf('.');
            if (lastDot <= USER_PREFIX.length()) {
                throw new IllegalArgumentException(key + ": expected user.<user id>.<attribute>, such as user.alice.firstName.");
            }
            String user = key.substring(USER_PREFIX.length(), lastDot);
            String attribute = key.substring(lastDot + 1);
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).strip();
            builders.computeIfAbsent(user, u -> new Builder()).set(key, attribute, value);
        }
        Map<String, Profile> profiles = new HashMap<>();
        builders.forEach((user, b) -> profiles.put(user, b.build()));
        return new HostConfig(new Tenant(tenantId, tenantName), realm.strip(), fallback, profiles);
    }

    private static final class Builder {
        private String firstName;
        private String lastName;
        private EmailAddress email;
        private Plan plan;

        void set(String key, String attribute, String value) {
            switch (attribute.toLowerCase(Locale.ROOT)) {
                case "firstname" -> firstName = value;
                case "lastname" -> lastName = value;
                case "email" -> email = value.isEmpty() ? null : address(key, value);
                case "plan" -> plan = Plans.named(key, value);
                default -> throw new IllegalArgumentException(key + ": unknown attribute '" + attribute
                        + "'; use firstName, lastName, email or plan.");
            }
        }

        Profile build() {
            return new Profile(firstName, lastName, email, plan);
        }

        private static EmailAddress address(String key, String value) {
            try {
                return EmailAddress.of(value);
            } catch (PostroomException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
    }
}
