package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.protocol.internal.OutboundPolicyException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** What Angus throws, as it nests it, and what Postroom makes of it. */
class FailureClassifierTest {

    private static ConnectionFailure imap(Throwable t) {
        return FailureClassifier.classify(Protocol.IMAP, Step.CONNECT, "imap.example.com", 993, t);
    }

    private static ConnectionFailure smtp(Step step, Throwable t) {
        return FailureClassifier.classify(Protocol.SMTP, step, "smtp.example.com", 587, t);
    }

    private static <T extends Throwable> T caused(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }

    @Test
    void socketErrorsInsideAngusWrappers() {
        var refused = new MailConnectException(new SocketConnectException("Using socket factory",
                new ConnectException("Connection refused"), "imap.example.com", 993, 15000));
        assertThat(imap(refused).kind()).isEqualTo(Kind.CONNECTION_REFUSED);
        assertThat(imap(refused).step()).isEqualTo(Step.CONNECT);
        assertThat(imap(refused).detail()).isEqualTo("Connection refused");

        var connectTimeout = new MailConnectException(new SocketConnectException(null,
                new SocketTimeoutException("Connect timed out"), "imap.example.com", 993, 15000));
        assertThat(imap(connectTimeout).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(imap(new MessagingException("Read timed out", new SocketTimeoutException("Read timed out"))).kind())
                .isEqualTo(Kind.TIMEOUT);

        assertThat(imap(new MessagingException("Unknown host", new UnknownHostException("imap.example.con"))).kind())
                .isEqualTo(Kind.UNKNOWN_HOST);
        assertThat(imap(new MessagingException("x", new SocketException("Connection reset"))).kind()).isEqualTo(Kind.NETWORK);
        assertThat(imap(new MessagingException("x", new EOFException())).kind()).isEqualTo(Kind.NETWORK);
        assertThat(imap(new FolderClosedException(null, "* BYE Connection closed")).kind()).isEqualTo(Kind.NETWORK);
    }

    @Test
    void policyRefusalsAreNotAllowed() {
        var denied = new MailConnectException(new SocketConnectException(null,
                new OutboundPolicyException("host x resolves to 10.0.0.1, which is in 10.0.0.0/8"), "x", 993, 15000));
        ConnectionFailure f = imap(denied);
        assertThat(f.kind()).isEqualTo(Kind.NOT_ALLOWED);
        assertThat(f.detail()).contains("10.0.0.0/8");
    }

    @Test
    void certificateProblemsAreUntrustedAndHappenAtTls() {
        var pkix = new MessagingException("connect failed", caused(new SSLHandshakeException("PKIX path building failed"),
                new CertPathBuilderException("unable to find valid certification path to requested target")));
        assertThat(imap(pkix).kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
        assertThat(imap(pkix).step()).isEqualTo(Step.TLS);
        assertThat(imap(pkix).detail()).isEqualTo("PKIX path building failed");

        var mismatch = new MessagingException("x", caused(new SSLHandshakeException("No subject alternative names"),
                new CertificateException("No subject alternative names matching IP address 127.0.0.1 found")));
        assertThat(imap(mismatch).kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);

        var plainPort = new MessagingException("x", new SSLException("Unsupported or unrecognized SSL message"));
        assertThat(imap(plainPort).kind()).isEqualTo(Kind.TLS_HANDSHAKE);
        assertThat(imap(plainPort).step()).isEqualTo(Step.TLS);

        var noStarttls = new MessagingException("STARTTLS required but not supported by server");
        assertThat(imap(noStarttls).kind()).isEqualTo(Kind.TLS_HANDSHAKE);

        // LOGINDISABLED without TLS (Dovecot, Exchange): Angus finds nothing to log in with
        var noLogin = new MessagingException("No login methods supported!",
                new org.eclipse.angus.mail.iap.ProtocolException("No login methods supported!"));
        assertThat(imap(noLogin).kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(imap(noLogin).step()).isEqualTo(Step.LOGIN);
        assertThat(imap(noLogin).detail()).contains("use SSL or STARTTLS");
    }

    @Test
    void imapLoginFailuresAndThrottling() {
        ConnectionFailure wrong = imap(new AuthenticationFailedException("[AUTHENTICATIONFAILED] Authentication failed."));
        assertThat(wrong.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(wrong.step()).isEqualTo(Step.LOGIN);
        assertThat(wrong.detail()).isEqualTo("[AUTHENTICATIONFAILED] Authentication failed.");

        ConnectionFailure busy = imap(new AuthenticationFailedException("[UNAVAILABLE] Temporary authentication failure"));
        assertThat(busy.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(busy.step()).isEqualTo(Step.LOGIN);
        assertThat(busy.kind().isTransient()).isTrue();

        assertThat(imap(new MessagingException("[ALERT] Too many simultaneous connections. (Failure)")).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(imap(new MessagingException("* BYE [LIMIT] Too many connections")).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(imap(new MessagingException("[INUSE] Mailbox in use")).kind()).isEqualTo(Kind.THROTTLED);
        // SMTP reply codes mean nothing in IMAP text
        assertThat(imap(new MessagingException("535 weird greeting")).kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(imap(new MessagingException("A3 BAD Unknown command")).kind()).isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void smtpRepliesFourYzAreTransientFiveYzPermanent() {
        ConnectionFailure greeting = smtp(Step.CONNECT, new MessagingException(
                "Got bad greeting from SMTP host: smtp.example.com, port: 587, response: 421 4.7.0 Try again later"));
        assertThat(greeting.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(greeting.detail()).isEqualTo("421 4.7.0 Try again later");

        ConnectionFailure auth = smtp(Step.CONNECT, new AuthenticationFailedException("535 5.7.8 Error: authentication failed"));
        assertThat(auth.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(auth.step()).isEqualTo(Step.LOGIN);
        assertThat(auth.detail()).isEqualTo("535 5.7.8 Error: authentication failed");

        ConnectionFailure appPassword = smtp(Step.CONNECT, new AuthenticationFailedException(
                "534-5.7.9 Application-specific password required.\n534 5.7.9 Learn more at https://support.google.com"));
        assertThat(appPassword.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(appPassword.detail()).doesNotContain("\n");

        assertThat(smtp(Step.CONNECT, new AuthenticationFailedException("454 4.7.0 Temporary authentication failure")).kind())
                .isEqualTo(Kind.THROTTLED);
    }

    @Test
    void smtpSendFailuresCarryTheServersWords() throws Exception {
        Address bob = new InternetAddress("bob@example.com");
        var unknownUser = new SendFailedException("Invalid Addresses",
                new SMTPAddressFailedException(new InternetAddress("bob@example.com"), "RCPT TO:<bob@example.com>", 550,
                        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"),
                new Address[0], new Address[0], new Address[] {bob});
        ConnectionFailure f = smtp(Step.SEND, unknownUser);
        assertThat(f.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(f.step()).isEqualTo(Step.SEND);
        assertThat(f.kind().isTransient()).isFalse();
        assertThat(f.detail()).isEqualTo("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
        assertThat(f.describe()).contains("SMTP send to smtp.example.com:587 failed", "Details: 550 5.1.1 <bob@example.com>");

        var later = new SMTPSendFailedException("MAIL FROM:<a@example.com>", 451, "451 4.3.0 Temporary lookup failure",
                null, null, null, null);
        assertThat(smtp(Step.SEND, later).kind()).isEqualTo(Kind.THROTTLED);
        assertThat(smtp(Step.SEND, later).kind().isTransient()).isTrue();

        var tooBig = new SMTPSendFailedException(".", 552, "552 5.3.4 Message size exceeds fixed limit", null, null, null, null);
        assertThat(smtp(Step.SEND, tooBig).kind()).isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void aConnectionFailedExceptionKeepsItsFailure() {
        ConnectionFailure original = new ConnectionFailure(Protocol.SMTP, Step.SEND, Kind.THROTTLED, "h", 25, "451 later");
        var e = new ConnectionFailedException(original, null);
        assertThat(FailureClassifier.classify(Protocol.IMAP, Step.FETCH, "x", 1, new RuntimeException(e))).isSameAs(original);
        assertThat(FailureClassifier.toException(Protocol.SMTP, Step.SEND, "h", 25, e)).isSameAs(e);
    }

    @Test
    void midSyncStepsAreKept() {
        ConnectionFailure f = FailureClassifier.classify(Protocol.IMAP, Step.FETCH, "imap.example.com", 993,
                new FolderClosedException(null, "Lost folder connection to server"));
        assertThat(f.step()).isEqualTo(Step.FETCH);
        assertThat(f.kind()).isEqualTo(Kind.NETWORK);
        ConnectionFailedException e = FailureClassifier.toException(Protocol.IMAP, Step.OPEN_FOLDER, "h", 993,
                new MessagingException("A4 NO [NONEXISTENT] Unknown Mailbox"));
        assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.failure().step()).isEqualTo(Step.OPEN_FOLDER);
        assertThat(e.getCause()).isInstanceOf(MessagingException.class);
    }

    @Test
    void detailIsOneBoundedLine() {
        String longText = "x".repeat(2000);
        ConnectionFailure f = imap(new MessagingException("line one\r\nline two\t" + longText));
        assertThat(f.detail()).startsWith("line one line two x").doesNotContain("\r", "\n", "\t").hasSizeLessThan(420);
        assertThat(imap(new RuntimeException()).detail()).isEqualTo("RuntimeException");
    }
}
