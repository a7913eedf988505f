package io.postroom.protocol.internal;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's {@link IMAPStore} (for {@code imap}, and for {@code imaps} as {@code IMAPSSLStore} makes
 * it) whose every connection, the store's own and each folder's, is a {@link BoundedImapProtocol}:
 * no IMAP response larger than the limit of the session properties is read. Every IMAP connection
 * Postroom opens is one of these (see {@link DefaultMailConnector#openImap}). Each connection has
 * its {@link CommandDeadline} too: no command, and no opening of a connection, takes longer than the
 * command timeout of the session properties.
 */
final class BoundedImapStore extends IMAPStore {
    private final Duration commandTimeout;
    private volatile IOException stoppedBy;
    private volatile boolean greeted;
    private final Set<BoundedImapProtocol> connections = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param protocolName   {@code imap} or {@code imaps}
     * @param ssl            TLS from the first byte ({@code imaps})
     * @param commandTimeout the longest one command (and the opening of a connection) may take
     */
    BoundedImapStore(Session session, String protocolName, boolean ssl, Duration commandTimeout) {
        // the URL Session.getStore(protocol) would pass: the protocol name only
        super(session, new URLName(protocolName, null, -1, null, null, null), protocolName, ssl);
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
        // Angus names its logger after the store's class: keep the store's and its connections' debug output and
        // protocol trace under Angus's logger names (org.eclipse.angus.mail.imap), as with Angus's own store, and out
        // of Postroom's. (The few lines logged inside the super constructor, and the connection pool's, keep this
        // package's name.)
        logger = new MailLogger(IMAPStore.class, "DEBUG " + name.toUpperCase(Locale.ENGLISH), session.getDebug(),
                session.getDebugOut());
    }

    /** The longest one command (and the opening of a connection) may take. */
    Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * What one command's answer may hold on this store's connections: four times the response
     * limit of the session properties, as {@link BoundedImapProtocol#readResponse()} enforces it.
     */
    long answerLimit() {
        return BoundedImapProtocol.answerLimit(responseLimit());
    }

    /** The largest single response on this store's connections: the limit of the session properties. */
    int responseLimit() {
        return BoundedImapProtocol.limitOf(session.getProperties());
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        CommandDeadline deadline = new CommandDeadline(commandTimeout);
        // the socket is created inside the protocol's constructor, on this thread
        CommandDeadline before = PolicySocketFactory.openingFor(deadline);
        BoundedImapProtocol p;
        try {
            p = new BoundedImapProtocol(name, host, port, session.getProperties(), isSSL, logger, deadline);
        } catch (IOException | ProtocolException | RuntimeException e) {
            // the greeting or a CAPABILITY inside the constructor, too slow: no observer could hear of it yet
            if (deadline.timedOut() != null) {
                stoppedBy = deadline.timedOut();
            }
            throw e;
        } finally {
            PolicySocketFactory.openingFor(before);
        }
        if (!deadline.attached()) {
            // not a socket of Postroom's factory: no deadline could be enforced, and a connection without one is refused
            p.disconnect();
            throw new IOException("the IMAP connection's socket does not come from Postroom's socket factory");
        }
        p.observe(e -> stoppedBy = e);
        connections.add(p);
        greeted = true;
        return p;
    }

    /**
     * Whether a connection of this store got past the server's greeting (and the CAPABILITY that
     * may follow it): what fails after that fails in the login (STARTTLS, LOGIN or AUTHENTICATE).
     */
    boolean greeted() {
        return greeted;
    }

    /**
     * Why the last of this store's connections was stopped by Postroom (a response too large, a
     * command past its deadline), or null. Angus's folder and store methods report it as a closed
     * store or folder with a message only; this keeps what it was for classification.
     */
    IOException stoppedBy() {
        return stoppedBy;
    }

    /**
     * Closes every connection of this store at once, under any command in progress: unlike
     * {@link #close()}, which waits for Angus's locks (and so for a command blocked in a read).
     */
    void abort() {
        BoundedImapProtocol[] all;
        synchronized (connections) {
            all = connections.toArray(new BoundedImapProtocol[0]);
        }
        for (BoundedImapProtocol p : all) {
            p.abort();
        }
    }
}
