package io.postroom.protocol.internal;

import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.ImapConnection;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.protocol.SmtpConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link MailConnector} service, configured by the administrator through {@code io.postroom.protocol}. */
@Component(service = MailConnector.class, configurationPid = OutboundPolicy.PID)
@Designate(ocd = MailConnectorComponent.Config.class)
public final class MailConnectorComponent implements MailConnector {
    private static final Logger LOG = LoggerFactory.getLogger(MailConnectorComponent.class);

    @ObjectClassDefinition(id = OutboundPolicy.PID, name = "Postroom mail connections",
            description = "Timeouts, the outbound policy and the IMAP response limit for every IMAP and SMTP"
                    + " connection Postroom opens."
                    + " Lists accept several values, or one value with entries separated by commas."
                    + " Host entries: an exact name (imap.example.com), all subdomains (*.example.com),"
                    + " an IP address (127.0.0.1) or a CIDR block (10.0.0.0/8, fc00::/7).")
    public @interface Config {
        @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "86400",
                description = "Longest wait for a TCP connection to a mail server.")
        int connectTimeoutSeconds() default 15;

        @AttributeDefinition(name = "Read timeout (seconds)", min = "1", max = "86400",
                description = "Longest wait for any answer of a mail server.")
        int readTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Write timeout (seconds)", min = "1", max = "86400",
                description = "Longest wait for a write to a mail server.")
        int writeTimeoutSeconds() default 60;

        @AttributeDefinition(name = "Command timeout (seconds)", min = "1", max = "86400",
                description = "Longest time one IMAP command may take, from sending it to the end of its answer,"
                        + " however steadily the server sends meanwhile (the read timeout bounds each wait for the next"
                        + " bytes only); also the longest time opening an IMAP connection (greeting, TLS, login) may"
                        + " take, and the longest time a whole SMTP session may take, from connecting to closing"
                        + " (greeting, EHLO, STARTTLS, login, sending, QUIT). Past it the connection is closed: the sync"
                        + " fails with a timeout and is tried again later, an attachment download fails, the SMTP login"
                        + " test or verification mail fails with a timeout. The default carries Postroom's largest"
                        + " answers (8 MiB of text per sync batch, 11 MB for a search of a folder of a million messages)"
                        + " over links down to about 150 kbit/s, and holds a sync worker, download or request for at"
                        + " most this long per IMAP command or SMTP session when a server drips its answers."
                        + " Default: 600.")
        int commandTimeoutSeconds() default 600;

        @AttributeDefinition(name = "Allowed hosts", required = false,
                description = "Hosts always allowed, even when their address is in deniedHosts; matched by the name"
                        + " as entered or by the address it resolves to. The standalone demo sets 127.0.0.1 here"
                        + " to reach its mail server on loopback. Default: none.")
        String[] allowedHosts() default {};

        @AttributeDefinition(name = "Denied hosts", required = false,
                description = "Addresses (and names) Postroom never connects to unless they are in allowedHosts;"
                        + " checked on the address the socket is about to connect to, so DNS rebinding does not get"
                        + " around it. Setting this replaces the whole default list (loopback, private, link-local"
                        + " including cloud metadata 169.254.169.254, carrier-grade NAT, unique-local, multicast and"
                        + " reserved networks); to reach one internal server, add it to allowedHosts instead.")
        String[] deniedHosts() default {
            "127.0.0.0/8", "::1/128", "::/128", "0.0.0.0/8",
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "169.254.0.0/16", "fe80::/10", "fc00::/7", "100.64.0.0/10",
            "224.0.0.0/4", "ff00::/8", "240.0.0.0/4"};

        @AttributeDefinition(name = "Allowed ports", required = false,
                description = "TCP ports mail servers may be reached on. Empty: any port."
                        + " Default: 25, 143, 465, 587, 993, 2525.")
        String[] allowedPorts() default {"25", "143", "465", "587", "993", "2525"};

        @AttributeDefinition(name = "Plain-text hosts", required = false,
                description = "Hosts that may be used without TLS (security NONE), matched by the name as entered."
                        + " Passwords to these hosts cross the network readable. Default: none.")
        String[] plaintextHosts() default {};

        @AttributeDefinition(name = "Trusted hosts (no certificate check)", required = false,
                description = "Hosts whose TLS certificate is accepted without verification of issuer or host name,"
                        + " for servers with self-signed certificates; matched by the name as entered. Connections to"
                        + " them can be intercepted: prefer a certificate from a trusted authority. Default: none.")
        String[] trustedHosts() default {};

        @AttributeDefinition(name = "Largest IMAP response (MiB)", min = "1", max = "1024",
                description = "The largest single answer Postroom reads from an IMAP server. A larger one (from a"
                        + " broken or hostile server) ends the connection before it is held in memory, and the sync"
                        + " fails with a protocol error. Postroom's own requests stay far below the default: message"
                        + " headers are read up to 1 MiB, texts up to 4 MiB per message, attachments in ranges of at"
                        + " most 16 MiB. The responses of one command's answer may hold four times this together (a"
                        + " server sending small responses without end is stopped there; the list of changes a resync"
                        + " reads is taken as it comes and not held). The sync keeps each text batch within half of"
                        + " that, however large batchKilobytes of io.postroom.sync is (so a small value here means"
                        + " smaller batches, not failed runs). Default: 64.")
        int maxResponseMegabytes() default 64;
    }

    private final MailConnector connector;

    @Activate
    public MailConnectorComponent(Config config) {
        ConnectorConfig c = toConnectorConfig(config);
        this.connector = MailConnectors.create(c);
        LOG.info("Mail connections: timeouts {}s/{}s/{}s, IMAP commands and SMTP sessions up to {}s, allowed hosts {},"
                + " denied hosts {}, ports {}, plain text {}, trusted {}, IMAP responses up to {}", c.connectTimeout().toSeconds(), c.readTimeout().toSeconds(),
                c.writeTimeout().toSeconds(), c.commandTimeout().toSeconds(), c.allowedHosts(), c.deniedHosts(),
                c.allowedPorts().isEmpty() ? "any" : c.allowedPorts(), c.plaintextHosts(), c.trustedHosts(),
                ResponseTooLargeException.size(c.maxResponseBytes()));
    }

    static ConnectorConfig toConnectorConfig(Config config) {
        List<Integer> ports = new ArrayList<>();
        for (String p : split(config.allowedPorts())) {
            try {
                ports.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("allowedPorts of " + OutboundPolicy.PID + ": '" + p + "' is not a port number", e);
            }
        }
        Duration connect = seconds("connectTimeoutSeconds", config.connectTimeoutSeconds());
        Duration read = seconds("readTimeoutSeconds", config.readTimeoutSeconds());
        Duration write = seconds("writeTimeoutSeconds", config.writeTimeoutSeconds());
        Duration command = seconds("commandTimeoutSeconds", config.commandTimeoutSeconds());
        try {
            return new ConnectorConfig(connect, read, write,
                    split(config.allowedHosts()), split(config.deniedHosts()), ports,
                    split(config.plaintextHosts()), split(config.trustedHosts()), megabytes(config.maxResponseMegabytes()),
                    command);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Configuration " + OutboundPolicy.PID + ": " + e.getMessage(), e);
        }
    }

    /** The longest timeout: a day. */
    static final int MAX_TIMEOUT_SECONDS = 86_400;

    /** A timeout of the metatype's range (1 second to a day), or refused naming the property. */
    private static Duration seconds(String property, int value) {
        if (value < 1 || value > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(property + " of " + OutboundPolicy.PID + " must be between 1 and "
                    + MAX_TIMEOUT_SECONDS + " (seconds; mail connections never wait forever), not " + value);
        }
        return Duration.ofSeconds(value);
    }

    /** MiB to bytes; out of range (1 to 1024) is refused by ConnectorConfig with the field's name. */
    private static int megabytes(int mib) {
        long bytes = (long) mib << 20;
        if (mib < 1 || bytes > ConnectorConfig.MAX_MAX_RESPONSE_BYTES) {
            throw new IllegalArgumentException("maxResponseMegabytes must be between 1 and "
                    + (ConnectorConfig.MAX_MAX_RESPONSE_BYTES >> 20) + ", was " + mib);
        }
        return (int) bytes;
    }

    /** Flattens list values, each of which may hold several entries separated by commas or blanks. */
    static List<String> split(String[] values) {
        List<String> result = new ArrayList<>();
        if (values == null) {
            return result;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String part : value.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    result.add(part.strip());
                }
            }
        }
        return result;
    }

    @Override
    public ImapConnection openImap(Endpoint endpoint, Credentials credentials) {
        return connector.openImap(endpoint, credentials);
    }

    @Override
    public SmtpConnection openSmtp(Endpoint endpoint, Credentials credentials) {
        return connector.openSmtp(endpoint, credentials);
    }

    @Override
    public void checkAllowed(Endpoint endpoint, Protocol protocol) {
        connector.checkAllowed(endpoint, protocol);
    }
}
