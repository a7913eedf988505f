package io.postroom.persistence;

import io.postroom.api.sync.SyncTrigger;
import java.util.Objects;

/**
 * A mailbox a node claimed.
 *
 * @param lease    the lease to name in every write of the run
 * @param kind     regular run or backfill
 * @param trigger  why it runs: MANUAL when someone asked, SCHEDULED, or BACKFILL
 * @param failures consecutive failed runs before this one (for back-off)
 * @param interval the plan's sync interval, as last scheduled
 */
public record Claim(Lease lease, ClaimKind kind, SyncTrigger trigger, int failures, java.time.Duration interval) {
    public Claim {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(interval, "interval");
    }

    public Claim withTrigger(SyncTrigger newTrigger) {
        return new Claim(lease, kind, newTrigger, failures, interval);
    }
}
