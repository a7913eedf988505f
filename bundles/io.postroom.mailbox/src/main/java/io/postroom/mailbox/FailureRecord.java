package io.postroom.mailbox;

/**
 * The failure counter after {@link MailboxConnections#recordFailure}.
 *
 * @param consecutiveFailures failed connections in a row, this one included
 * @param deactivated         this failure reached the limit and deactivated the mailbox
 */
public record FailureRecord(int consecutiveFailures, boolean deactivated) {
}
