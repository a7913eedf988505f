package io.postroom.api.sync;

import io.postroom.api.mailbox.MailboxId;
import java.time.Instant;

/**
 * A message the sync could not store. It never blocks its folder; it is retried a bounded number
 * of times and then waits for an operator.
 *
 * @param mailbox       the mailbox
 * @param folder        the folder on the server
 * @param uidValidity   the folder's UIDVALIDITY when it failed
 * @param uid           the message's UID
 * @param error         what went wrong
 * @param attempts      attempts so far
 * @param lastAttemptAt the last attempt
 * @param givenUp       no more automatic retries
 */
public record QuarantinedMessage(MailboxId mailbox, String folder, long uidValidity, long uid, String error,
                                 int attempts, Instant lastAttemptAt, boolean givenUp) {
}
