package io.postroom.api.message;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;

/** A message stored in the CRM (one record even when it is in several folders). */
public record MessageId(long value) {
    public MessageId {
        if (value <= 0) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "A message id is a positive number, not " + value + ".");
        }
    }

    public static MessageId of(long value) {
        return new MessageId(value);
    }

    public static MessageId parse(String text) {
        try {
            return new MessageId(Long.parseLong(text == null ? "" : text.strip()));
        } catch (NumberFormatException e) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "A message id is a positive number, not '" + text + "'.");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
