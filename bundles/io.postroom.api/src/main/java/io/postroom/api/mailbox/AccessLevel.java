package io.postroom.api.mailbox;

/** Who has the mailbox besides its owner. */
public enum AccessLevel {
    /** Only the owner. */
    PERSONAL,
    /** The owner and the named users; only on plans that allow shared mailboxes. Counts against each user's limit. */
    SHARED
}
