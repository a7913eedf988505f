package io.postroom.message.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.Tenant;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The host's side, as a host would write it for a test: every tenant has the same five users. */
final class TestHost implements TenantDirectory, PlanPolicy {
    static final Plan PLAN = new Plan("Standard", Plan.UNLIMITED, Duration.ofMinutes(10), true);
    /** Owns the mailboxes. */
    static final UserId ANNA = UserId.of("anna");
    /** Anna's mailbox is shared with him. */
    static final UserId BOB = UserId.of("bob");
    /** A manager. */
    static final UserId CAROL = UserId.of("carol");
    /** A tenant administrator. */
    static final UserId DAVE = UserId.of("dave");
    /** Neither: a plain user of the tenant. */
    static final UserId ERIN = UserId.of("erin");

    private final Map<TenantId, Map<UserId, User>> tenants = new ConcurrentHashMap<>();

    TenantId newTenant(String name) {
        TenantId id = TenantId.of(name);
        Map<UserId, User> users = new ConcurrentHashMap<>();
        users.put(ANNA, new User(ANNA, null, "Anna", "Koval", EmailAddress.of("anna@crm.example"), Set.of()));
        users.put(BOB, new User(BOB, null, "Bob", "Builder", null, Set.of()));
        users.put(CAROL, new User(CAROL, null, "Carol", "Manager", null, Set.of(User.MANAGER)));
        users.put(DAVE, new User(DAVE, null, "Dave", "Admin", null, Set.of(User.ADMIN)));
        users.put(ERIN, new User(ERIN, null, "Erin", "Plain", null, Set.of()));
        tenants.put(id, users);
        return id;
    }

    @Override
    public Optional<Tenant> tenant(TenantId tenant) {
        return tenants.containsKey(tenant) ? Optional.of(new Tenant(tenant, tenant.value())) : Optional.empty();
    }

    @Override
    public Optional<User> user(TenantId tenant, UserId user) {
        return Optional.ofNullable(tenants.getOrDefault(tenant, Map.of()).get(user));
    }

    @Override
    public List<User> users(TenantId tenant) {
        return List.copyOf(tenants.getOrDefault(tenant, Map.of()).values());
    }

    @Override
    public Plan plan(TenantId tenant, UserId user) {
        return PLAN;
    }
}
