package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.persistence.MessageCursor;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The cursors a message list hands out: the store's position (date and id of the last message of
 * the page) with a check sum, so that a cursor that was cut, mistyped or made up is refused as
 * invalid input instead of silently listing from somewhere else. URL-safe: digits, lower-case
 * letters and dots.
 */
final class Cursors {

    private Cursors() {
    }

    static String token(MessageCursor position) {
        String inner = position.token();
        return inner + "." + check(inner);
    }

    /** The position, or null for no cursor (the first page). */
    static MessageCursor parse(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String t = token.strip();
        int dot = t.lastIndexOf('.');
        if (dot > 0 && t.substring(dot + 1).equals(check(t.substring(0, dot)))) {
            try {
                return MessageCursor.parse(t.substring(0, dot));
            } catch (IllegalArgumentException e) {
                // falls through to the error below
            }
        }
        throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "cursor",
                "This cursor is not one a message list handed out; start again from the first page.");
    }

    private static String check(String inner) {
        CRC32 crc = new CRC32();
        crc.update(("postroom-cursor:" + inner).getBytes(StandardCharsets.US_ASCII));
        return Long.toString(crc.getValue(), 36);
    }
}
