package io.postroom.protocol.internal;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.FailureClassifier;
import io.postroom.protocol.ImapConnection;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.SmtpConnection;
import jakarta.mail.MessagingException;
import jakarta.mail.Service;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects with Angus Mail under the outbound policy. Thread-safe; one instance serves every mailbox. */
public final class DefaultMailConnector implements MailConnector {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMailConnector.class);

    private final ConnectorConfig config;
    private final OutboundPolicy policy;
    private final PolicySocketFactory socketFactory;
    private final Set<String> trustWarned = ConcurrentHashMap.newKeySet();

    public DefaultMailConnector(ConnectorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = new OutboundPolicy(config);
        this.socketFactory = new PolicySocketFactory(policy, (int) config.connectTimeout().toMillis());
    }

    public ConnectorConfig config() {
        return config;
    }

    @Override
    public void checkAllowed(Endpoint endpoint, Protocol protocol) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(protocol, "protocol");
        String host = endpoint.host();
        String field = protocol.name().toLowerCase(Locale.ROOT) + "Host";
        if (host.isBlank()) {
            throw PostroomException.invalid(ErrorCode.INVALID_HOST, field, "The " + protocol + " host is empty.");
        }
        if (!host.chars().allMatch(c -> c > 0x20 && c < 0x7f || c > 0xa0)) {
            throw PostroomException.invalid(ErrorCode.INVALID_HOST, field,
                    "The " + protocol + " host must not contain spaces or control characters.");
        }
        if (endpoint.port() < 1 || endpoint.port() > 65535) {
            throw PostroomException.invalid(ErrorCode.INVALID_PORT, protocol.name().toLowerCase(Locale.ROOT) + "Port",
                    "The " + protocol + " port must be between 1 and 65535, was " + endpoint.port() + ".");
        }
        Optional<String> portDenial = policy.portDenial(endpoint.port());
        if (portDenial.isPresent()) {
            throw notAllowed(protocol, endpoint, portDenial.get());
        }
        if (endpoint.security() == Security.NONE && !policy.plaintextAllowed(host)) {
            throw notAllowed(protocol, endpoint, "plain text (security NONE) is allowed only for the hosts in plaintextHosts"
                    + " of the outbound policy (configuration " + OutboundPolicy.PID + "); use SSL or STARTTLS");
        }
        if (policy.nameAllowed(host)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ConnectionFailedException(new ConnectionFailure(protocol, Step.CONNECT, Kind.UNKNOWN_HOST,
                    endpoint.host(), endpoint.port(), "unknown host " + host), e);
        }
        for (InetAddress address : addresses) {
            Optional<String> denial = policy.denial(host, address, endpoint.port());
            if (denial.isPresent()) {
                throw notAllowed(protocol, endpoint, denial.get());
            }
        }
    }

    @Override
    public ImapConnection openImap(Endpoint endpoint, Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        checkAllowed(endpoint, Protocol.IMAP);
        Properties props = properties(Protocol.IMAP, endpoint);
        String protocolName = SessionProperties.protocolName(Protocol.IMAP, endpoint.security());
        return MailClassLoader.get(() -> {
            BoundedImapStore store = null;
            try {
                Session session = Session.getInstance(props);
                // not session.getStore(protocolName): Angus's own store reads responses of any size
                store = new BoundedImapStore(session, protocolName, endpoint.security() == Security.SSL, config.commandTimeout());
                store.connect(endpoint.host(), endpoint.port(), credentials.username(), credentials.password().reveal());
                return new AngusImapConnection(store, endpoint);
            } catch (MessagingException | RuntimeException e) {
                closeQuietly(store);
                // a greeting or login past the command timeout, as it was rather than as Angus reports it
                IOException stopped = store == null ? null : store.stoppedBy();
                throw failure(Protocol.IMAP, endpoint, credentials, e, stopped == null ? e : stopped,
                        store != null && store.greeted());
            }
        });
    }

    @Override
    public SmtpConnection openSmtp(Endpoint endpoint, Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        checkAllowed(endpoint, Protocol.SMTP);
        Properties props = properties(Protocol.SMTP, endpoint);
        String protocolName = SessionProperties.protocolName(Protocol.SMTP, endpoint.security());
        return MailClassLoader.get(() -> {
            SMTPTransport transport = null;
            try {
                Session session = Session.getInstance(props);
                transport = (SMTPTransport) session.getTransport(protocolName);
                connect(transport, CommandDeadline.smtpSession(config.commandTimeout()), endpoint, credentials);
                if (!transport.supportsExtension("AUTH") && !transport.supportsExtension("AUTH=LOGIN")) {
                    // Angus skips the login silently when AUTH is not offered: the password would go unchecked
                    closeQuietly(transport);
                    throw new ConnectionFailedException(new ConnectionFailure(Protocol.SMTP, Step.LOGIN, Kind.PROTOCOL,
                            endpoint.host(), endpoint.port(), "the server offers no authentication (AUTH), so it cannot check"
                            + " the user name and password; use the provider's submission port (587 with STARTTLS or 465 with SSL)"), null);
                }
                return new AngusSmtpConnection(session, transport, endpoint);
            } catch (MessagingException | RuntimeException e) {
                if (e instanceof ConnectionFailedException c) {
                    throw c;
                }
                closeQuietly(transport);
                throw failure(Protocol.SMTP, endpoint, credentials, e, e, false);
            }
        });
    }

    /**
     * Connects and logs in with one deadline for the whole SMTP session, from the socket's creation to
     * its close: greeting, EHLO, STARTTLS, AUTH, every message sent and the closing (see
     * {@link CommandDeadline}). Angus creates the socket inside {@code connect}, on this thread
     * ({@code SocketFetcher.getSocket}), which is how the deadline reaches it; it is taken back from the
     * thread afterwards, whatever happened, so no later socket gets it. A session whose socket did not
     * get it (not a socket of Postroom's factory) is closed and refused.
     */
    static void connect(SMTPTransport transport, CommandDeadline deadline, Endpoint endpoint, Credentials credentials)
            throws MessagingException {
        CommandDeadline before = PolicySocketFactory.openingFor(deadline);
        try {
            transport.connect(endpoint.host(), endpoint.port(), credentials.username(), credentials.password().reveal());
        } finally {
            PolicySocketFactory.openingFor(before);
        }
        if (!deadline.attached()) {
            closeQuietly(transport);
            throw new ConnectionFailedException(new ConnectionFailure(Protocol.SMTP, Step.CONNECT, Kind.PROTOCOL,
                    endpoint.host(), endpoint.port(), "the SMTP connection's socket does not come from Postroom's socket"
                    + " factory, so neither the outbound policy nor the command timeout held for it; it was closed"), null);
        }
    }

    private Properties properties(Protocol protocol, Endpoint endpoint) {
        boolean trusted = endpoint.security() != Security.NONE && policy.trusted(endpoint.host());
        if (trusted && trustWarned.add(endpoint.host().toLowerCase(Locale.ROOT))) {
            LOG.warn("Certificates of {} are accepted without verification (trustedHosts of {}): connections to it"
                    + " can be intercepted. Give the server a certificate from a trusted authority instead.",
                    endpoint.host(), OutboundPolicy.PID);
        }
        return SessionProperties.of(protocol, endpoint.security(), endpoint.host(), trusted, config, socketFactory);
    }

    private static ConnectionFailedException notAllowed(Protocol protocol, Endpoint endpoint, String why) {
        return new ConnectionFailedException(new ConnectionFailure(protocol, Step.CONNECT, Kind.NOT_ALLOWED,
                endpoint.host(), endpoint.port(), why), null);
    }

    /**
     * Classifies {@code what} (the failure {@code e} itself, or what Postroom knows caused it), and
     * makes sure the password appears nowhere in what is thrown.
     *
     * @param greeted the server's greeting came: a failure not narrowed to TLS or the login by its
     *                kind (a timeout, a dropped connection) happened in the login all the same
     */
    private static ConnectionFailedException failure(Protocol protocol, Endpoint endpoint, Credentials credentials, Exception e,
                                                     Throwable what, boolean greeted) {
        ConnectionFailure f = FailureClassifier.classify(protocol, Step.CONNECT, endpoint.host(), endpoint.port(), what);
        if (greeted && f.step() == Step.CONNECT) {
            f = new ConnectionFailure(f.protocol(), Step.LOGIN, f.kind(), f.host(), f.port(), f.detail());
        }
        String password = credentials.password().reveal();
        String detail = scrub(f.detail(), credentials.username(), password);
        boolean leaked = !detail.equals(f.detail()) || causeMentions(e, credentials.username(), password);
        ConnectionFailure safe = new ConnectionFailure(f.protocol(), f.step(), f.kind(), f.host(), f.port(), detail);
        LOG.debug("{} connection to {} failed at {}: {}", protocol, endpoint, safe.step(), safe.kind());
        // a cause that quotes the password is dropped rather than carried into logs
        return new ConnectionFailedException(safe, leaked ? null : e);
    }

    static String scrub(String text, String username, String password) {
        if (text == null || password == null || password.length() < 4) {
            return text;
        }
        String result = text.replace(password, "******");
        Base64.Encoder b64 = Base64.getEncoder();
        result = result.replace(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)), "******");
        result = result.replace(b64.encodeToString(("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8)), "******");
        return result;
    }

    private static boolean causeMentions(Throwable e, String username, String password) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.equals(scrub(m, username, password))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void closeQuietly(Service service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (MessagingException | RuntimeException ignored) {
            // the failure being reported matters, not this one
        }
    }
}
