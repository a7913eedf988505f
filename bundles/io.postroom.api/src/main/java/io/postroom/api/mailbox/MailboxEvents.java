package io.postroom.api.mailbox;

/**
 * EventAdmin topics Postroom posts about mailboxes, and their properties. Events are posted after
 * the change is committed.
 */
public final class MailboxEvents {
    public static final String TOPIC_PREFIX = "postroom/mailbox/";
    public static final String CREATED = TOPIC_PREFIX + "CREATED";
    public static final String UPDATED = TOPIC_PREFIX + "UPDATED";
    public static final String ACTIVATED = TOPIC_PREFIX + "ACTIVATED";
    public static final String DEACTIVATED = TOPIC_PREFIX + "DEACTIVATED";
    public static final String VERIFIED = TOPIC_PREFIX + "VERIFIED";
    public static final String DELETED = TOPIC_PREFIX + "DELETED";
    /** Subscribe to all mailbox events. */
    public static final String ALL = TOPIC_PREFIX + "*";

    /** String: the tenant id. */
    public static final String TENANT = "tenant";
    /** String: the user who acted (absent when Postroom acted by itself, e.g. after 10 failures). */
    public static final String USER = "user";
    /** Long: the mailbox id. */
    public static final String MAILBOX_ID = "mailbox.id";
    /** String: the mailbox address. */
    public static final String ADDRESS = "mailbox.address";
    /** String: the owner's user id. */
    public static final String OWNER = "mailbox.owner";
    /** String: why it was deactivated (DEACTIVATED only). */
    public static final String REASON = "reason";
    /** String[]: names of the changed settings (UPDATED only). */
    public static final String CHANGED = "changed";

    private MailboxEvents() {
    }
}
