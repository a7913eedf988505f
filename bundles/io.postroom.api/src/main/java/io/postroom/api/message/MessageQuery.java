package io.postroom.api.message;

import io.postroom.api.mailbox.MailboxId;

/**
 * Which messages to list, newest first.
 *
 * @param mailbox a mailbox, or null for every mailbox whose messages the actor may see
 * @param folder  a folder name, or null for all
 * @param cursor  the {@link MessagePage#nextCursor()} of the previous page, or null for the first
 * @param limit   page size, 1 to 200
 */
public record MessageQuery(MailboxId mailbox, String folder, String cursor, int limit) {
    public static final int MAX_LIMIT = 200;

    public MessageQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new io.postroom.api.PostroomException(io.postroom.api.ErrorCode.INVALID_INPUT,
                    "The page size must be between 1 and " + MAX_LIMIT + ", not " + limit + ".",
                    java.util.Map.of("field", "limit"));
        }
    }

    public static MessageQuery firstPage(MailboxId mailbox, int limit) {
        return new MessageQuery(mailbox, null, null, limit);
    }
}
