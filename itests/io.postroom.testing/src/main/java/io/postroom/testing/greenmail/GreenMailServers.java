package io.postroom.testing.greenmail;

import java.util.Arrays;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.postroom.testing.FreePorts;

/**
 * GreenMail (in-JVM SMTP/IMAP/POP3 server) bound to 127.0.0.1 on free ports, never on all
 * interfaces. For functional tests only: GreenMail has no CONDSTORE/QRESYNC and answers slowly
 * (use Dovecot for those and for anything timed). Stop it with {@link GreenMail#stop()}.
 *
 * <pre>{@code
 * GreenMail mail = GreenMailServers.start(GreenMailConfiguration.aConfig().withUser("anna@postroom.test", "anna", "secret"),
 *         ServerSetup.PROTOCOL_SMTP, ServerSetup.PROTOCOL_IMAP);
 * int imapPort = mail.getImap().getPort();
 * }</pre>
 * SMTPS/IMAPS/POP3S use GreenMail's built-in self-signed certificate.
 */
public final class GreenMailServers {

    private GreenMailServers() {
    }

    /** Setups for the given protocols ({@link ServerSetup#PROTOCOL_SMTP}, ...) on 127.0.0.1, free ports. */
    public static ServerSetup[] loopback(String... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("name at least one protocol: " + Arrays.toString(ServerSetup.PROTOCOLS));
        }
        ServerSetup[] setups = new ServerSetup[protocols.length];
        for (int i = 0; i < protocols.length; i++) {
            if (!Arrays.asList(ServerSetup.PROTOCOLS).contains(protocols[i])) {
                throw new IllegalArgumentException("unknown protocol " + protocols[i] + ", known: "
                        + Arrays.toString(ServerSetup.PROTOCOLS));
            }
            setups[i] = new ServerSetup(0, FreePorts.LOOPBACK, protocols[i]).dynamicPort();
        }
        return setups;
    }

    /** Starts GreenMail on 127.0.0.1 for the given protocols, with the given users. */
    public static GreenMail start(GreenMailConfiguration configuration, String... protocols) {
        GreenMail greenMail = new GreenMail(loopback(protocols));
        greenMail.withConfiguration(configuration);
        greenMail.start();
        return greenMail;
    }

    /** SMTP and IMAP on 127.0.0.1 without users (add them with {@link GreenMail#setUser}). */
    public static GreenMail smtpImap() {
        return start(new GreenMailConfiguration(), ServerSetup.PROTOCOL_SMTP, ServerSetup.PROTOCOL_IMAP);
    }
}
