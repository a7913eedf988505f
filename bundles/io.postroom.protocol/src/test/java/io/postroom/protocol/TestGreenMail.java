package io.postroom.protocol;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import java.time.Duration;

/** GreenMail with IMAP, IMAPS, SMTP and SMTPS on 127.0.0.1, random ports, and one user. */
final class TestGreenMail implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String USER = "alice@example.com";
    static final String PASSWORD = "s3cret-Pa55word!";

    final GreenMail greenMail;

    TestGreenMail() {
        greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAPS),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTPS)});
        greenMail.start();
        greenMail.setUser(USER, USER, PASSWORD);
    }

    Endpoint imap() {
        return new Endpoint(HOST, greenMail.getImap().getPort(), Security.NONE);
    }

    Endpoint imaps() {
        return new Endpoint(HOST, greenMail.getImaps().getPort(), Security.SSL);
    }

    Endpoint smtp() {
        return new Endpoint(HOST, greenMail.getSmtp().getPort(), Security.NONE);
    }

    Endpoint smtps() {
        return new Endpoint(HOST, greenMail.getSmtps().getPort(), Security.SSL);
    }

    static Credentials credentials() {
        return new Credentials(USER, Secret.of(PASSWORD));
    }

    /** Loopback allowed, plain text allowed on it, any port (test servers use random ports), short timeouts. */
    static ConnectorConfig loopbackConfig() {
        return ConnectorConfig.defaults()
                .withAllowedHosts(HOST)
                .withPlaintextHosts(HOST)
                .withAllowedPorts()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
