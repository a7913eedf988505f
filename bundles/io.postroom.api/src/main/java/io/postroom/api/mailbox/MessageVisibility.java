package io.postroom.api.mailbox;

/** Who may see the messages of a mailbox in the CRM. */
public enum MessageVisibility {
    OWNER_ONLY,
    /** The owner, users the mailbox is shared with, and the tenant's managers. */
    OWNER_AND_MANAGERS,
    /** Everyone in the tenant. */
    EVERYONE
}
