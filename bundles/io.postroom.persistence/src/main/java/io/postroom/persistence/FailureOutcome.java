package io.postroom.persistence;

/**
 * A recorded connection failure.
 *
 * @param mailbox        the mailbox afterwards
 * @param deactivatedNow this failure reached the threshold and deactivated the mailbox
 */
public record FailureOutcome(MailboxRecord mailbox, boolean deactivatedNow) {
}
