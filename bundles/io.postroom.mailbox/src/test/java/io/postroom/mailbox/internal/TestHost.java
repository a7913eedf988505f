package io.postroom.mailbox.internal;

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

/**
 * The host's side, as a host would write it for a test: tenants with the same users each, and
 * plans by user name. Free: 1 mailbox, hourly, no sharing; Standard: 3, every 10 minutes, sharing;
 * Professional: unlimited, every 5 minutes, sharing.
 */
final class TestHost implements TenantDirectory, PlanPolicy {
    static final Plan FREE = new Plan("Free", 1, Duration.ofMinutes(60), false);
    static final Plan STANDARD = new Plan("Standard", 3, Duration.ofMinutes(10), true);
    static final Plan PROFESSIONAL = new Plan("Professional", Plan.UNLIMITED, Duration.ofMinutes(5), true);

    static final UserId ALICE = UserId.of("alice");
    static final UserId BOB = UserId.of("bob");
    static final UserId CAROL = UserId.of("carol");
    /** Tenant administrator. */
    static final UserId DAVE = UserId.of("dave");
    /** On the Free plan. */
    static final UserId FRED = UserId.of("fred");
    /** On the Professional plan. */
    static final UserId PAT = UserId.of("pat");

    private final Map<TenantId, Map<UserId, User>> tenants = new ConcurrentHashMap<>();
    private final Map<UserId, Plan> plans = Map.of(FRED, FREE, PAT, PROFESSIONAL);

    TenantId newTenant(String name) {
        TenantId id = TenantId.of(name);
        Map<UserId, User> users = new ConcurrentHashMap<>();
        users.put(ALICE, new User(ALICE, null, "Alice", "Example", EmailAddress.of("alice@crm.example"), Set.of()));
        users.put(BOB, new User(BOB, null, "Bob", "Builder", null, Set.of()));
        users.put(CAROL, new User(CAROL, null, "Carol", "Manager", null, Set.of(User.MANAGER)));
        users.put(DAVE, new User(DAVE, null, "Dave", "Admin", null, Set.of(User.ADMIN)));
        users.put(FRED, new User(FRED, null, "Fred", "Free", null, Set.of()));
        users.put(PAT, new User(PAT, null, "Pat", "Pro", null, Set.of()));
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
        return plans.getOrDefault(user, STANDARD);
    }
}
