package io.postroom.api.spi;

import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import org.osgi.annotation.versioning.ConsumerType;

/** The host decides what each user's plan allows. */
@ConsumerType
public interface PlanPolicy {

    Plan plan(TenantId tenant, UserId user);
}
