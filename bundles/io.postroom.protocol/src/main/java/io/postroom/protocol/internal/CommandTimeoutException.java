package io.postroom.protocol.internal;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * An IMAP command (or the opening of a connection), or an SMTP session, that ran past the command
 * timeout: Postroom closed the connection under it (see {@link CommandDeadline}). A
 * {@link SocketTimeoutException}, so that whatever handles a read timeout handles this one alike:
 * Angus turns it into a synthetic BYE (a dropped connection) for IMAP and into a failed command
 * (the connection closed) for SMTP, the JDK's TLS layer passes it through unwrapped after the
 * handshake. The message is Postroom's own words, never the server's, and says which limit was
 * reached and how to change it; {@link io.postroom.protocol.FailureClassifier} classifies it as a
 * timeout.
 */
public final class CommandTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;
    private static final String ADVICE = "Only an overloaded or broken server, or a very slow network, takes this long."
            + " If this server is that slow by nature, ask the administrator to raise the limit.";

    private final transient Duration timeout;

    /**
     * @param command the command's name ({@code UID FETCH}, {@code LOGIN}), or null for the opening
     *                of the connection
     */
    CommandTimeoutException(String command, Duration timeout, Throwable cause) {
        this(timeout, cause, (command == null
                ? "The mail server had not finished opening the connection (greeting, TLS and login) after " + human(timeout)
                : "The mail server had not finished answering the IMAP command " + command + " after " + human(timeout))
                + ", the limit set by commandTimeoutSeconds of " + OutboundPolicy.PID + "; the connection was closed. " + ADVICE);
    }

    private CommandTimeoutException(Duration timeout, Throwable cause, String message) {
        super(message);
        this.timeout = timeout;
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * An SMTP session that ran past the command timeout: everything from the socket's creation to its
     * close (greeting, TLS, login and sending) has to be done within it.
     */
    static CommandTimeoutException smtpSession(Duration timeout, Throwable cause) {
        return new CommandTimeoutException(timeout, cause, "The mail server had not finished the SMTP session (greeting,"
                + " TLS, login and sending) after " + human(timeout) + ", the limit set by commandTimeoutSeconds of "
                + OutboundPolicy.PID + " for a whole SMTP session; the connection was closed. " + ADVICE);
    }

    /** The command timeout that was reached. */
    public Duration timeout() {
        return timeout;
    }

    /** {@code 10 minutes}, {@code 90 seconds}, {@code 1,500 ms}. */
    static String human(Duration d) {
        long millis = d.toMillis();
        if (millis % 60_000 == 0) {
            long minutes = millis / 60_000;
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        if (millis % 1000 == 0) {
            long seconds = millis / 1000;
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        return String.format(Locale.ROOT, "%,d ms", millis);
    }
}
