package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.Credentials;
import jakarta.mail.Session;
import java.net.Socket;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an SMTP session's deadline reaches its socket: handed over on the connecting thread to every
 * socket created meanwhile, taken back afterwards, and a session whose socket did not get it refused.
 */
class SmtpSessionDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final ConnectorConfig config = ConnectorConfig.defaults().withAllowedHosts("127.0.0.1")
            .withPlaintextHosts("127.0.0.1").withAllowedPorts();
    private final PolicySocketFactory factory = new PolicySocketFactory(new OutboundPolicy(config), 2000);
    private GreenMail greenMail;

    @AfterEach
    void stop() {
        PolicySocketFactory.openingFor(null);
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static CommandDeadline deadlineOf(Socket s) {
        return ((PolicySocketFactory.PolicySocket) s).deadline();
    }

    @Test
    void anSmtpSessionsDeadlineGoesToEverySocketCreatedUntilItIsTakenBack() throws Exception {
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT);
        CommandDeadline before = PolicySocketFactory.openingFor(session);
        assertThat(before).isNull();
        try (Socket first = factory.createSocket(); Socket second = factory.createSocket()) {
            assertThat(deadlineOf(first)).isSameAs(session);
            assertThat(deadlineOf(second)).as("a second socket of the session is not left without it").isSameAs(session);
            assertThat(session.attached()).isTrue();
        } finally {
            PolicySocketFactory.openingFor(before);
        }
        try (Socket later = factory.createSocket()) {
            assertThat(deadlineOf(later)).as("taken back: no stale deadline for a later socket").isNull();
        }
    }

    @Test
    void anImapConnectionsDeadlineGoesToItsOneSocketOnly() throws Exception {
        CommandDeadline imap = new CommandDeadline(TIMEOUT);
        CommandDeadline before = PolicySocketFactory.openingFor(imap);
        try (Socket first = factory.createSocket(); Socket second = factory.createSocket()) {
            assertThat(deadlineOf(first)).isSameAs(imap);
            assertThat(deadlineOf(second)).isNull();
        } finally {
            PolicySocketFactory.openingFor(before);
        }
    }

    @Test
    void anSmtpSessionInsideAnotherOpeningGivesTheOuterDeadlineBack() throws Exception {
        CommandDeadline outer = new CommandDeadline(TIMEOUT);
        PolicySocketFactory.openingFor(outer);
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT);
        CommandDeadline before = PolicySocketFactory.openingFor(session);
        try (Socket s = factory.createSocket()) {
            assertThat(deadlineOf(s)).isSameAs(session);
        } finally {
            PolicySocketFactory.openingFor(before);
        }
        assertThat(PolicySocketFactory.openingFor(null)).isSameAs(outer);
    }

    private Endpoint startSmtp() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        greenMail.setUser("alice@example.com", "alice@example.com", "s3cret-Pa55word!");
        return new Endpoint("127.0.0.1", greenMail.getSmtp().getPort(), Security.NONE);
    }

    private static Credentials credentials() {
        return new Credentials("alice@example.com", Secret.of("s3cret-Pa55word!"));
    }

    @Test
    void connectingHandsTheSessionsDeadlineToItsSocketAndTakesItBackFromTheThread() throws Exception {
        Endpoint endpoint = startSmtp();
        Properties props = SessionProperties.of(Protocol.SMTP, Security.NONE, "127.0.0.1", false, config, factory);
        SMTPTransport transport = (SMTPTransport) Session.getInstance(props).getTransport("smtp");
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT);
        DefaultMailConnector.connect(transport, session, endpoint, credentials());
        try {
            assertThat(transport.isConnected()).isTrue();
            assertThat(session.attached()).isTrue();
            assertThat(PolicySocketFactory.openingFor(null)).as("nothing left on the thread").isNull();
        } finally {
            transport.close();
        }
    }

    @Test
    void aSessionWhoseSocketIsNotPostroomsIsClosedAndRefused() throws Exception {
        Endpoint endpoint = startSmtp();
        Properties props = SessionProperties.of(Protocol.SMTP, Security.NONE, "127.0.0.1", false, config, factory);
        props.remove("mail.smtp.socketFactory"); // Angus then makes a plain socket of its own
        SMTPTransport transport = (SMTPTransport) Session.getInstance(props).getTransport("smtp");
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT);
        assertThatThrownBy(() -> DefaultMailConnector.connect(transport, session, endpoint, credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
                    assertThat(e.failure().step()).isEqualTo(Step.CONNECT);
                    assertThat(e.failure().detail()).isEqualTo("the SMTP connection's socket does not come from Postroom's"
                            + " socket factory, so neither the outbound policy nor the command timeout held for it; it was closed");
                });
        assertThat(transport.isConnected()).isFalse();
        assertThat(session.attached()).isFalse();
        assertThat(PolicySocketFactory.openingFor(null)).isNull();
    }

    @Test
    void closingAnSmtpSessionDoesNotWaitForTheAnswerToQuit() {
        Properties smtp = SessionProperties.of(Protocol.SMTP, Security.STARTTLS, "smtp.example.com", false, config, factory);
        assertThat(smtp.getProperty("mail.smtp.quitwait")).isEqualTo("false");
        Properties smtps = SessionProperties.of(Protocol.SMTP, Security.SSL, "smtp.example.com", false, config, factory);
        assertThat(smtps.getProperty("mail.smtps.quitwait")).isEqualTo("false");
    }
}
