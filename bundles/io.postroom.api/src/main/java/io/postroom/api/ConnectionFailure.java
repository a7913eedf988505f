package io.postroom.api;

import java.util.Objects;

/**
 * Why talking to a mail server failed: which protocol and step, what kind of failure, and the
 * server's own words where it gave any. {@link #describe()} is the sentence a user sees.
 *
 * @param protocol IMAP or SMTP
 * @param step     how far the conversation got
 * @param kind     what went wrong
 * @param host     the server host
 * @param port     the server port
 * @param detail   what happened in detail: the server's answer, the network's error or Postroom's own account (a
 *                 response too large, a command past its deadline); never containing a password; may be empty
 */
public record ConnectionFailure(Protocol protocol, Step step, Kind kind, String host, int port, String detail) {

    public enum Protocol { IMAP, SMTP }

    public enum Step { CONNECT, TLS, LOGIN, LIST_FOLDERS, OPEN_FOLDER, FETCH, SEND }

    public enum Kind {
        /** The outbound policy forbids this host or port. */
        NOT_ALLOWED(false, "the administrator's outbound policy does not allow this host or port"),
        UNKNOWN_HOST(false, "the host name is unknown (check its spelling)"),
        CONNECTION_REFUSED(true, "the connection was refused (check the port and security)"),
        TIMEOUT(true, "the server did not answer in time"),
        NETWORK(true, "the network connection broke"),
        TLS_HANDSHAKE(false, "the TLS handshake failed (check the port and security setting)"),
        UNTRUSTED_CERTIFICATE(false, "the server's certificate is not trusted or does not match the host name"),
        AUTHENTICATION(false, "the server refused the user name or password"),
        THROTTLED(true, "the server is busy or limits connections; it will be retried later"),
        PROTOCOL(false, "the server answered something unexpected");

        private final boolean transientFailure;
        private final String explanation;

        Kind(boolean transientFailure, String explanation) {
            this.transientFailure = transientFailure;
            this.explanation = explanation;
        }

        /** Whether retrying later without any change may succeed. */
        public boolean isTransient() {
            return transientFailure;
        }

        public String explanation() {
            return explanation;
        }
    }

    public ConnectionFailure {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(kind, "kind");
        host = host == null ? "" : host;
        detail = detail == null ? "" : detail.strip();
    }

    /** A sentence for the user: what failed, where, and what to check. */
    public String describe() {
        String where = host.isEmpty() ? "" : " to " + host + ":" + port;
        String text = protocol + " " + step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + where + " failed: " + kind.explanation() + ".";
        // not "the server said": the detail is often Postroom's or the network's words, not the server's
        return detail.isEmpty() ? text : text + " Details: " + detail;
    }
}
