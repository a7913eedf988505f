package io.postroom.persistence;

import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncProgress;
import java.time.Instant;

/**
 * A mailbox's schedule row as the status shows it.
 *
 * @param leaseHeld        a node holds a valid lease now (by the database's clock)
 * @param leaseOwner       the node that holds or last held the lease, may be null
 * @param leaseKind        what the lease was claimed for, null when none is held
 * @param due              next_due has passed (by the database's clock)
 * @param pendingTrigger   MANUAL when someone asked for a run that has not started yet, else null
 * @param progress         the running sync's progress as last saved, null when none runs
 * @param failures         consecutive failed runs
 */
public record ScheduleRecord(long mailboxId, Instant nextDue, boolean due, String pendingTrigger,
                             boolean backfillPending, boolean leaseHeld, String leaseOwner, ClaimKind leaseKind,
                             Instant leaseExpires, long leaseEpoch, int failures, Long runId, Instant lastStartedAt,
                             Instant lastFinishedAt, SyncOutcome lastOutcome, String lastError, SyncProgress progress) {
}
