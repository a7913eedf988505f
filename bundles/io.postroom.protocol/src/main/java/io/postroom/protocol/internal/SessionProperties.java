package io.postroom.protocol.internal;

import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.mailbox.Security;
import io.postroom.protocol.ConnectorConfig;
import java.util.Properties;

/**
 * The Jakarta Mail session properties of one connection. Every property is set explicitly: Angus's
 * defaults (infinite timeouts, {@code \Seen} set on read, 16 KB partial fetches, optional STARTTLS)
 * are wrong for Postroom; so is SMTP's waiting for the answer to QUIT when closing. One is
 * Postroom's own: the largest IMAP response read ({@link BoundedImapProtocol#MAX_RESPONSE_BYTES}),
 * which the protocol needs inside Angus's constructor. The command timeout is no property: the
 * connector hands it to the IMAP store and to the SMTP session's socket ({@link DefaultMailConnector}).
 */
public final class SessionProperties {

    private SessionProperties() {
    }

    /** The Jakarta Mail protocol name: {@code imaps}/{@code smtps} for SSL, else {@code imap}/{@code smtp}. */
    public static String protocolName(Protocol protocol, Security security) {
        String base = protocol == Protocol.IMAP ? "imap" : "smtp";
        return security == Security.SSL ? base + "s" : base;
    }

    /**
     * @param trusted whether the administrator trusts this host's certificate without verification
     */
    public static Properties of(Protocol protocol, Security security, String host, boolean trusted,
                                ConnectorConfig config, PolicySocketFactory socketFactory) {
        String name = protocolName(protocol, security);
        String p = "mail." + name + ".";
        Properties props = new Properties();
        // debug output would print the AUTH exchange
        props.setProperty("mail.debug", "false");
        props.setProperty("mail.debug.auth", "false");
        props.setProperty("mail.debug.auth.username", "false");
        props.setProperty("mail.debug.auth.password", "false");

        props.setProperty(p + "connectiontimeout", Long.toString(config.connectTimeout().toMillis()));
        props.setProperty(p + "timeout", Long.toString(config.readTimeout().toMillis()));
        props.setProperty(p + "writetimeout", Long.toString(config.writeTimeout().toMillis()));

        // outbound policy at the socket; Angus layers TLS over our socket itself (no ssl.socketFactory)
        props.put(p + "socketFactory", socketFactory);
        props.setProperty(p + "socketFactory.fallback", "false");

        props.setProperty(p + "ssl.enable", Boolean.toString(security == Security.SSL));
        props.setProperty(p + "starttls.enable", Boolean.toString(security == Security.STARTTLS));
        props.setProperty(p + "starttls.required", Boolean.toString(security == Security.STARTTLS));
        if (trusted) {
            // the administrator's explicit opt-out: any certificate of this host is accepted, so its name is not checked either
            props.setProperty(p + "ssl.trust", host);
            props.setProperty(p + "ssl.checkserveridentity", "false");
        } else {
            props.setProperty(p + "ssl.checkserveridentity", "true");
        }

        if (protocol == Protocol.IMAP) {
            // reading never sets \Seen; bodies in one piece, not 16 KB round trips
            props.setProperty(p + "peek", "true");
            props.setProperty(p + "partialfetch", "false");
            // read by BoundedImapProtocol: no response larger than this is held
            props.setProperty(BoundedImapProtocol.MAX_RESPONSE_BYTES, Integer.toString(config.maxResponseBytes()));
        } else {
            props.setProperty(p + "auth", "true");
            // closing sends QUIT and does not wait for the answer: a server that drips it cannot hold close()
            // (the message, if any, was accepted before); the session's command timeout covers every read anyway
            props.setProperty(p + "quitwait", "false");
        }
        return props;
    }
}
