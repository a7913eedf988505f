package io.postroom.api.message;

/** EventAdmin topics about messages. Posted after the batch is committed. */
public final class MessageEvents {
    /** A batch of new messages was stored. */
    public static final String STORED = "postroom/message/STORED";

    /** String: tenant id. */
    public static final String TENANT = "tenant";
    /** Long: mailbox id. */
    public static final String MAILBOX_ID = "mailbox.id";
    /** long[]: ids of the stored messages. */
    public static final String MESSAGE_IDS = "message.ids";
    /** Integer: how many. */
    public static final String COUNT = "count";

    private MessageEvents() {
    }
}
