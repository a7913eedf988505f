package io.postroom.persistence;

import io.postroom.api.sync.SyncOutcome;
import java.time.Duration;
import java.util.Objects;

/**
 * How a run ended, written when its lease is released.
 *
 * @param outcome         the run's outcome
 * @param error           what went wrong and what to do, null on success
 * @param nextRunIn       when the mailbox is due again, from now on the database's clock; null leaves
 *                        the due time as it is (a backfill run must not delay the regular schedule)
 * @param failures        consecutive failed runs now (0 after a success)
 * @param backfillPending whether older mail remains to be downloaded at low priority
 */
public record RunEnd(SyncOutcome outcome, String error, Duration nextRunIn, int failures, boolean backfillPending) {
    public RunEnd {
        Objects.requireNonNull(outcome, "outcome");
    }
}
