package io.postroom.protocol;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.protocol.internal.CommandTimeoutException;
import io.postroom.protocol.internal.OutboundPolicyException;
import io.postroom.protocol.internal.ResponseTooLargeException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Turns what Jakarta Mail / Angus Mail throws into a {@link ConnectionFailure}: which kind of
 * failure, at which step, with the server's own words. Jakarta Mail nests the real cause (a socket
 * error inside a {@code SocketConnectException} inside a {@code MailConnectException}, an SMTP reply
 * inside a {@code SendFailedException}); the whole chain is read.
 *
 * <p>Used by the connector for connecting and logging in, and by the sync engine and the sender
 * for failures in the middle of a conversation (pass the step you were in).
 */
public final class FailureClassifier {
    private static final int MAX_DETAIL = 400;
    private static final Pattern SMTP_REPLY = Pattern.compile("^\\s*([2-5]\\d\\d)(?:[ -]|$)");
    private static final Pattern SMTP_GREETING = Pattern.compile("response: ([2-5]\\d\\d)\\b");
    private static final Set<Integer> SMTP_AUTH_REPLIES = Set.of(530, 534, 535, 538);
    private static final List<String> IMAP_THROTTLE_MARKERS = List.of(
            "[UNAVAILABLE]", "[LIMIT]", "[INUSE]", "TOO MANY CONNECTIONS", "TOO MANY SIMULTANEOUS",
            "MAXIMUM NUMBER OF CONNECTIONS", "TOO MANY LOGIN");

    private FailureClassifier() {
    }

    /**
     * Classifies a failure.
     *
     * @param protocol IMAP or SMTP
     * @param step     the step the caller was in; {@code CONNECT} means the whole connect-and-login
     *                 call, and is narrowed to {@code TLS} or {@code LOGIN} when the failure shows it
     * @param host     server host
     * @param port     server port
     * @param failure  what was thrown
     */
    public static ConnectionFailure classify(Protocol protocol, Step step, String host, int port, Throwable failure) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            if (t instanceof ConnectionFailedException c && c.failure() != null) {
                return c.failure();
            }
        }
        Verdict v = verdict(protocol, chain);
        Step actual = step;
        if (step == Step.CONNECT) {
            if (v.kind == Kind.TLS_HANDSHAKE || v.kind == Kind.UNTRUSTED_CERTIFICATE) {
                actual = Step.TLS;
            } else if (find(chain, AuthenticationFailedException.class) != null
                    || (v.smtpReply > 0 && SMTP_AUTH_REPLIES.contains(v.smtpReply))
                    || (v.detail != null && v.detail.startsWith("the server allows no login"))) {
                actual = Step.LOGIN;
            }
        }
        return new ConnectionFailure(protocol, actual, v.kind, host, port, clean(v.detail));
    }

    /** {@link #classify} wrapped in the exception Postroom throws, with the original as its cause. */
    public static ConnectionFailedException toException(Protocol protocol, Step step, String host, int port, Throwable failure) {
        if (failure instanceof ConnectionFailedException c) {
            return c;
        }
        return new ConnectionFailedException(classify(protocol, step, host, port, failure), failure);
    }

    private record Verdict(Kind kind, String detail, int smtpReply) {
        Verdict(Kind kind, String detail) {
            this(kind, detail, 0);
        }
    }

    private static Verdict verdict(Protocol protocol, List<Throwable> chain) {
        OutboundPolicyException policy = find(chain, OutboundPolicyException.class);
        if (policy != null) {
            return new Verdict(Kind.NOT_ALLOWED, policy.getMessage());
        }
        // before the TLS and network kinds: during a TLS handshake the JDK wraps it in an SSLHandshakeException,
        // and Angus reports it inside a synthetic BYE, as a dropped connection
        CommandTimeoutException late = find(chain, CommandTimeoutException.class);
        if (late != null) {
            return new Verdict(Kind.TIMEOUT, late.getMessage());
        }
        // before the network kinds: Angus reports it inside a synthetic BYE, as a dropped connection
        ResponseTooLargeException tooLarge = find(chain, ResponseTooLargeException.class);
        if (tooLarge != null) {
            return new Verdict(Kind.PROTOCOL, tooLarge.getMessage());
        }
        UnknownHostException unknown = find(chain, UnknownHostException.class);
        if (unknown != null) {
            return new Verdict(Kind.UNKNOWN_HOST, "unknown host " + unknown.getMessage());
        }
        if (protocol == Protocol.SMTP) {
            Verdict smtp = smtpVerdict(chain);
            if (smtp != null) {
                return smtp;
            }
        }
        for (Throwable t : chain) {
            String m = t.getMessage();
            if (m != null && isImapThrottle(m)) {
                return new Verdict(Kind.THROTTLED, m);
            }
        }
        SocketTimeoutException timeout = find(chain, SocketTimeoutException.class);
        if (timeout != null) {
            return new Verdict(Kind.TIMEOUT, timeout.getMessage());
        }
        Throwable certificate = certificateProblem(chain);
        if (certificate != null) {
            SSLException ssl = find(chain, SSLException.class);
            return new Verdict(Kind.UNTRUSTED_CERTIFICATE, ssl != null ? ssl.getMessage() : certificate.getMessage());
        }
        SSLException ssl = find(chain, SSLException.class);
        if (ssl != null) {
            return new Verdict(Kind.TLS_HANDSHAKE, ssl.getMessage());
        }
        for (Throwable t : chain) {
            String m = t.getMessage();
            if (m != null && m.toUpperCase(Locale.ROOT).contains("STARTTLS") && m.toLowerCase(Locale.ROOT).contains("not support")) {
                return new Verdict(Kind.TLS_HANDSHAKE, "the server does not offer STARTTLS, which is required for this security setting");
            }
        }
        for (Throwable t : chain) {
            String m = t.getMessage();
            if (m != null && m.contains("No login methods supported")) {
                // Angus, when the server announces LOGINDISABLED and no mechanism it can use (plain text, typically)
                return new Verdict(Kind.PROTOCOL, "the server allows no login on this connection (servers commonly"
                        + " refuse passwords without TLS): use SSL or STARTTLS");
            }
        }
        AuthenticationFailedException auth = find(chain, AuthenticationFailedException.class);
        if (auth != null) {
            return new Verdict(Kind.AUTHENTICATION, auth.getMessage());
        }
        ConnectException refused = find(chain, ConnectException.class);
        if (refused != null) {
            return new Verdict(Kind.CONNECTION_REFUSED, refused.getMessage());
        }
        for (Throwable t : chain) {
            if (t instanceof SocketException || t instanceof EOFException || t instanceof ConnectionException
                    || t instanceof FolderClosedException || t instanceof StoreClosedException) {
                return new Verdict(Kind.NETWORK, t.getMessage());
            }
        }
        return new Verdict(Kind.PROTOCOL, firstMessage(chain));
    }

    /** SMTP replies: 4yz transient (THROTTLED), 530/534/535/538 authentication, other 5yz permanent (PROTOCOL). */
    private static Verdict smtpVerdict(List<Throwable> chain) {
        int permanent = 0;
        String permanentText = null;
        int transientCode = 0;
        String transientText = null;
        for (Throwable t : chain) {
            int code = smtpReplyCode(t);
            if (code >= 500 && permanent == 0) {
                permanent = code;
                permanentText = serverText(t);
            } else if (code >= 400 && code < 500 && transientCode == 0) {
                transientCode = code;
                transientText = serverText(t);
            }
        }
        // with partial sending off, one permanent refusal means the message was not sent and retrying will not help
        if (permanent > 0) {
            boolean auth = SMTP_AUTH_REPLIES.contains(permanent) || find(chain, AuthenticationFailedException.class) != null;
            return new Verdict(auth ? Kind.AUTHENTICATION : Kind.PROTOCOL, permanentText, permanent);
        }
        if (transientCode > 0) {
            return new Verdict(Kind.THROTTLED, transientText, transientCode);
        }
        return null;
    }

    private static int smtpReplyCode(Throwable t) {
        if (t instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
            return s.getReturnCode();
        }
        if (t instanceof SMTPAddressFailedException a && a.getReturnCode() > 0) {
            return a.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException s && s.getReturnCode() > 0) {
            return s.getReturnCode();
        }
        if (!(t instanceof MessagingException) || t.getMessage() == null) {
            return 0;
        }
        Matcher m = SMTP_REPLY.matcher(t.getMessage());
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        m = SMTP_GREETING.matcher(t.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String serverText(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return "";
        }
        int i = m.indexOf("response: ");
        return i >= 0 && t.getClass() == MessagingException.class ? m.substring(i + "response: ".length()) : m;
    }

    private static boolean isImapThrottle(String message) {
        String upper = message.toUpperCase(Locale.ROOT);
        return IMAP_THROTTLE_MARKERS.stream().anyMatch(upper::contains);
    }

    private static Throwable certificateProblem(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException || t instanceof SSLPeerUnverifiedException) {
                return t;
            }
            String m = t.getMessage();
            // Angus's own host name and trust checks after the handshake
            if (m != null && (m.startsWith("Server identity does not match") || m.startsWith("Server is not trusted")
                    || m.startsWith("Unable to check server identity"))) {
                return t;
            }
        }
        return null;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstMessage(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return chain.isEmpty() ? "" : chain.get(0).getClass().getSimpleName();
    }

    /** The throwable, its causes, and the "next" exceptions Jakarta Mail chains, each once. */
    static List<Throwable> chain(Throwable failure) {
        List<Throwable> result = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && result.size() < 32) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            result.add(t);
            if (t instanceof MessagingException m && m.getNextException() != null) {
                todo.add(m.getNextException());
            }
            if (t instanceof ProtocolException p && p.getResponse() != null && p.getResponse().getException() != null) {
                // Angus keeps the socket error (a timeout, a reset, a response too large) in its synthetic BYE
                todo.add(p.getResponse().getException());
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return result;
    }

    /** One line, bounded, so that server text can be shown and stored safely. */
    private static String clean(String detail) {
        if (detail == null) {
            return "";
        }
        String oneLine = detail.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
