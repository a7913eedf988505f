package io.postroom.persistence;

import io.postroom.api.TenantId;
import java.time.Duration;
import java.util.Objects;

/** An active mailbox the sync schedules, with its plan's interval. */
public record ScheduleTarget(long mailboxId, TenantId tenant, Duration interval) {
    public ScheduleTarget {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(interval, "interval");
    }
}
