package io.postroom.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * A position in a newest-first list: the date and id of the last message of a page. Its
 * {@link #token()} is opaque text for REST cursors; {@link #parse} reads it back.
 */
public record MessageCursor(Instant date, long id) {
    public MessageCursor {
        Objects.requireNonNull(date, "date");
    }

    public String token() {
        return Long.toString(date.getEpochSecond(), 36) + "." + Integer.toString(date.getNano(), 36) + "."
                + Long.toString(id, 36);
    }

    /** @throws IllegalArgumentException when the text is not a token of this class */
    public static MessageCursor parse(String token) {
        String[] parts = token == null ? new String[0] : token.strip().split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a message cursor: " + token);
        }
        try {
            long seconds = Long.parseLong(parts[0], 36);
            int nanos = Integer.parseInt(parts[1], 36);
            long id = Long.parseLong(parts[2], 36);
            if (nanos < 0 || nanos > 999_999_999 || id < 0) {
                throw new IllegalArgumentException("not a message cursor: " + token);
            }
            return new MessageCursor(Instant.ofEpochSecond(seconds, nanos), id);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a message cursor: " + token, e);
        }
    }
}
