package io.postroom.api.mailbox;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;

/** Identifies a mailbox within Postroom (unique across tenants). */
public record MailboxId(long value) {
    public MailboxId {
        if (value <= 0) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "A mailbox id is a positive number, not " + value + ".");
        }
    }

    public static MailboxId of(long value) {
        return new MailboxId(value);
    }

    public static MailboxId parse(String text) {
        try {
            return new MailboxId(Long.parseLong(text == null ? "" : text.strip()));
        } catch (NumberFormatException e) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "A mailbox id is a positive number, not '" + text + "'.");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
