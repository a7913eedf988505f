package io.postroom.api.mailbox;

/** Life cycle of a mailbox. Deleted mailboxes are gone and have no state. */
public enum MailboxState {
    /** Synchronised on schedule; may send once verified. */
    ACTIVE,
    /** Kept with its history, neither synchronised nor sending; see {@link Mailbox#inactiveReason()}. */
    INACTIVE
}
