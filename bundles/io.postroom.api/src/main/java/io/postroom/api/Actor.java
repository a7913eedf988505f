package io.postroom.api;

import java.util.Objects;

/**
 * Who acts: every service call carries one. Postroom never keeps a static or global user; the
 * roles of the actor are looked up through the host's {@code TenantDirectory}, never trusted from
 * the caller.
 */
public record Actor(TenantId tenant, UserId user) {
    public Actor {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(user, "user");
    }

    public static Actor of(String tenant, String user) {
        return new Actor(TenantId.of(tenant), UserId.of(user));
    }

    @Override
    public String toString() {
        return user + "@" + tenant;
    }
}
