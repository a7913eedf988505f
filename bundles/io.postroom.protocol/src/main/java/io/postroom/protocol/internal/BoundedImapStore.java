package io.postroom.protocol.internal;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's {@link IMAPStore} (for {@code imap}, and for {@code imaps} as {@code IMAPSSLStore} makes
 * it) whose every connection, the store's own and each folder's, is a {@link BoundedImapProtocol}:
 * no IMAP response larger than the limit of the session properties is read. Every IMAP connection
 * Postroom opens is one of these (see {@link DefaultMailConnector#openImap}).
 */
final class BoundedImapStore extends IMAPStore {
    private volatile ResponseTooLargeException tooLarge;

    /**
     * @param protocolName {@code imap} or {@code imaps}
     * @param ssl          TLS from the first byte ({@code imaps})
     */
    BoundedImapStore(Session session, String protocolName, boolean ssl) {
        // the URL Session.getStore(protocol) would pass: the protocol name only
        super(session, new URLName(protocolName, null, -1, null, null, null), protocolName, ssl);
        // Angus names its logger after the store's class: keep the store's and its connections' debug output and
        // protocol trace under Angus's logger names (org.eclipse.angus.mail.imap), as with Angus's own store, and out
        // of Postroom's. (The few lines logged inside the super constructor, and the connection pool's, keep this
        // package's name.)
        logger = new MailLogger(IMAPStore.class, "DEBUG " + name.toUpperCase(Locale.ENGLISH), session.getDebug(),
                session.getDebugOut());
    }

    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
        BoundedImapProtocol p = new BoundedImapProtocol(name, host, port, session.getProperties(), isSSL, logger);
        p.observe(e -> tooLarge = e);
        return p;
    }

    /**
     * The last response found too large on any of this store's connections, or null. Angus's
     * folder and store methods report it as a closed store or folder with a message only; this
     * keeps what it was for classification.
     */
    ResponseTooLargeException responseTooLarge() {
        return tooLarge;
    }
}
