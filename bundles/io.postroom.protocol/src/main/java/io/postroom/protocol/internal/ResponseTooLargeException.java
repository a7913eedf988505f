package io.postroom.protocol.internal;

import java.io.IOException;
import java.util.Locale;

/**
 * An IMAP response larger than the configured limit, or an answer to one command whose responses
 * together held more than four times that: Postroom stopped reading before holding it. An
 * {@link IOException}, so that Angus treats it as a broken connection (a synthetic BYE; the
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

    private ResponseTooLargeException(String message, int limit) {
        super(message);
        this.limit = limit;
    }

    /**
     * The responses to one command came to more than {@code answerLimit} bytes held.
     *
     * @param limit       the configured limit of one response, in bytes
     * @param answerLimit what one command's answer may hold
     * @param responses   the responses held when it was stopped
     */
    static ResponseTooLargeException answer(int limit, long answerLimit, long responses) {
        return new ResponseTooLargeException("The server's answer to one command came to more than " + size(answerLimit)
                + " (" + String.format(Locale.ROOT, "%,d", responses) + " responses); Postroom stopped reading it and"
                + " closed the connection. Only a broken or hostile server sends this much for what Postroom asks. If it"
                + " persists, ask the mail provider, or ask the administrator to raise maxResponseMegabytes of "
                + OutboundPolicy.PID + " (one answer may hold four times that).", limit);
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

    static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB" : String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
