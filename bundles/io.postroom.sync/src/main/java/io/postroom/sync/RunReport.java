package io.postroom.sync;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncTrigger;

/**
 * How one run of one mailbox went.
 *
 * @param runId          the run in the history (0 when it could not even be recorded)
 * @param trigger        why it ran
 * @param outcome        how it ended
 * @param messagesStored new message records
 * @param locationsAdded new locations (new messages and known messages found in another folder)
 * @param flagChanges    flag changes picked up
 * @param expunged       locations found removed on the server
 * @param quarantined    messages put (again) into quarantine
 * @param error          what went wrong and what to do, null on success
 * @param failure        the connection failure when one ended the run, else null
 * @param imapCommands   IMAP commands the sync sent after login (a no-change run with LIST-STATUS sends one)
 */
public record RunReport(long runId, SyncTrigger trigger, SyncOutcome outcome, long messagesStored, long locationsAdded,
                        long flagChanges, long expunged, int quarantined, String error, ConnectionFailure failure,
                        long imapCommands) {
}
