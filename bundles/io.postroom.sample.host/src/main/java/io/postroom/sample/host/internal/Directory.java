package io.postroom.sample.host.internal;

import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.Tenant;
import io.postroom.api.spi.User;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sample host's tenant, users and plans: the users of a JAAS realm, named and priced by the
 * configuration. JAAS role {@code manager} makes a {@link User#MANAGER}, {@code admin} an
 * {@link User#ADMIN}; other roles mean nothing to Postroom and are left out.
 */
final class Directory {
    private final HostConfig config;
    private final Supplier<List<RealmUser>> realmUsers;

    Directory(HostConfig config, Supplier<List<RealmUser>> realmUsers) {
        this.config = Objects.requireNonNull(config, "config");
        this.realmUsers = Objects.requireNonNull(realmUsers, "realmUsers");
    }

    Optional<Tenant> tenant(TenantId tenant) {
        return ours(tenant) ? Optional.of(config.tenant()) : Optional.empty();
    }

    Optional<User> user(TenantId tenant, UserId user) {
        if (!ours(tenant)) {
            return Optional.empty();
        }
        return realmUsers.get().stream()
                .filter(u -> u.name().equals(user.value()))
                .findFirst()
                .map(this::toUser);
    }

    List<User> users(TenantId tenant) {
        if (!ours(tenant)) {
            return List.of();
        }
        return realmUsers.get().stream().map(this::toUser).toList();
    }

    Plan plan(UserId user) {
        return config.plan(user.value());
    }

    private boolean ours(TenantId tenant) {
        return config.tenant().id().equals(tenant);
    }

    private User toUser(RealmUser realmUser) {
        HostConfig.Profile profile = config.profile(realmUser.name());
        Set<String> roles = new HashSet<>();
        if (realmUser.roles().contains(User.MANAGER)) {
            roles.add(User.MANAGER);
        }
        if (realmUser.roles().contains(User.ADMIN)) {
            roles.add(User.ADMIN);
        }
        return new User(UserId.of(realmUser.name()), null, profile.firstName(), profile.lastName(), profile.email(), roles);
    }
}
