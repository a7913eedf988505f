package io.postroom.protocol.internal;

import java.io.IOException;
import java.util.Locale;

/**
 * An IMAP response larger than the configured limit: Postroom stopped reading it before holding
 * it. An {@link IOException}, so that Angus treats it as a broken connection (a synthetic BYE; the
 * connection is closed, its state stays consistent). The message is Postroom's own words, never
 * the server's, and says what the owner can do; {@link io.postroom.protocol.FailureClassifier}
 * classifies it as a protocol failure.
 */
public final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    /**
     * @param limit  the configured limit in bytes
     * @param wanted the capacity the response needed when it was stopped, or -1 when it announced a
     *               literal too large to count (2 GB or more)
     */
    ResponseTooLargeException(int limit, long wanted, Throwable cause) {
        super(message(limit, wanted), cause);
        this.limit = limit;
    }

    /** The limit that was reached, in bytes. */
    public int limit() {
        return limit;
    }

    private static String message(int limit, long wanted) {
        String needed = wanted < 0 ? "it announced a literal of 2 GB or more"
                : "it needed at least " + String.format(Locale.ROOT, "%,d", wanted) + " bytes";
        return "The server sent a response of more than " + size(limit) + " (" + needed + "); Postroom stopped reading it"
                + " and closed the connection. Only a broken or hostile server, or a message far larger than mail"
                + " normally is, sends this much at once. If it persists, ask the mail provider, or ask the administrator"
                + " to raise maxResponseMegabytes of " + OutboundPolicy.PID + ".";
    }

    static String size(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB" : String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
