package io.postroom.api.sync;

import java.time.Instant;

/**
 * One past or running sync of a mailbox.
 *
 * @param id             run id
 * @param trigger        why it ran
 * @param startedAt      start
 * @param finishedAt     end, null while running
 * @param outcome        null while running
 * @param messagesStored new messages stored
 * @param flagChanges    flag changes picked up
 * @param expunged       messages found removed from the server
 * @param quarantined    messages put in quarantine by this run
 * @param error          the error of a failed run, null otherwise
 * @param node           the cluster node that ran it
 */
public record SyncRun(long id, SyncTrigger trigger, Instant startedAt, Instant finishedAt, SyncOutcome outcome,
                      long messagesStored, long flagChanges, long expunged, int quarantined, String error, String node) {
}
