package io.postroom.api.spi;

import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** The host's tenants and users. Calls are frequent: answer from memory or a cache. */
@ConsumerType
public interface TenantDirectory {

    Optional<Tenant> tenant(TenantId tenant);

    Optional<User> user(TenantId tenant, UserId user);

    /** All users of a tenant, for pickers (shared with, allowed senders). */
    List<User> users(TenantId tenant);
}
