package io.postroom.testing.host;

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
 * The host's side, as a host would write it for a test: tenants made by {@link #newTenant} with the
 * same users each (any other tenant or user is unknown to the host), and plans by user name:
 * {@link #FRED} has {@link #FREE}, {@link #PAT} has {@link #PROFESSIONAL}, everyone else
 * {@link #STANDARD}.
 */
public final class TestHost implements TenantDirectory, PlanPolicy {
    /** 1 mailbox, hourly sync, no sharing. */
    public static final Plan FREE = new Plan("Free", 1, Duration.ofMinutes(60), false);
    /** 3 mailboxes, sync every 10 minutes, sharing. */
    public static final Plan STANDARD = new Plan("Standard", 3, Duration.ofMinutes(10), true);
    /** Unlimited mailboxes, sync every 5 minutes, sharing. */
    public static final Plan PROFESSIONAL = new Plan("Professional", Plan.UNLIMITED, Duration.ofMinutes(5), true);

    /** A plain user with an address in the CRM (alice@crm.example). */
    public static final UserId ALICE = UserId.of("alice");
    /** A plain user with an address in the CRM (anna@crm.example). */
    public static final UserId ANNA = UserId.of("anna");
    /** A plain user (the one mailboxes are shared with). */
    public static final UserId BOB = UserId.of("bob");
    /** A manager. */
    public static final UserId CAROL = UserId.of("carol");
    /** A tenant administrator. */
    public static final UserId DAVE = UserId.of("dave");
    /** A plain user. */
    public static final UserId ERIN = UserId.of("erin");
    /** On the Free plan. */
    public static final UserId FRED = UserId.of("fred");
    /** On the Professional plan. */
    public static final UserId PAT = UserId.of("pat");

    private final Map<TenantId, Map<UserId, User>> tenants = new ConcurrentHashMap<>();
    private final Map<UserId, Plan> plans = Map.of(FRED, FREE, PAT, PROFESSIONAL);

    /** A new tenant with all the users above. */
    public TenantId newTenant(String name) {
        TenantId id = TenantId.of(name);
        Map<UserId, User> users = new ConcurrentHashMap<>();
        users.put(ALICE, new User(ALICE, null, "Alice", "Example", EmailAddress.of("alice@crm.example"), Set.of()));
        users.put(ANNA, new User(ANNA, null, "Anna", "Koval", EmailAddress.of("anna@crm.example"), Set.of()));
        users.put(BOB, new User(BOB, null, "Bob", "Builder", null, Set.of()));
        users.put(CAROL, new User(CAROL, null, "Carol", "Manager", null, Set.of(User.MANAGER)));
        users.put(DAVE, new User(DAVE, null, "Dave", "Admin", null, Set.of(User.ADMIN)));
        users.put(ERIN, new User(ERIN, null, "Erin", "Plain", null, Set.of()));
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
