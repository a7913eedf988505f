package io.postroom.protocol.internal;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.protocol.FailureClassifier;
import io.postroom.protocol.SmtpConnection;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in Angus {@link SMTPTransport}. Its socket reads under the SMTP session's deadline (see
 * {@link DefaultMailConnector#connect}): a send past it fails as a timeout, the connection closed.
 */
final class AngusSmtpConnection implements SmtpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(AngusSmtpConnection.class);

    private final Session session;
    private final SMTPTransport transport;
    private final Endpoint endpoint;

    AngusSmtpConnection(Session session, SMTPTransport transport, Endpoint endpoint) {
        this.session = session;
        this.transport = transport;
        this.endpoint = endpoint;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public void send(MimeMessage message) {
        Address[] recipients;
        try {
            Address[] from = message.getFrom();
            if (from == null || from.length == 0) {
                // Angus would invent one from the JVM's user and host name
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "from", "The message has no sender (From).");
            }
            recipients = message.getAllRecipients();
        } catch (AddressException e) {
            throw PostroomException.invalid(ErrorCode.INVALID_ADDRESS, "addresses",
                    "An address of the message is not valid: " + e.getMessage());
        } catch (MessagingException e) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "The addresses of the message cannot be read: " + e.getMessage());
        }
        if (recipients == null || recipients.length == 0) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "recipients", "The message has no recipients (To, Cc or Bcc).");
        }
        try {
            MailClassLoader.call(() -> {
                // writeTo saves the message's changes first if nobody did; the Bcc header is never sent
                transport.sendMessage(message, recipients);
                return null;
            });
        } catch (IllegalArgumentException e) {
            // Angus 2.0.4+ refuses CR/LF and other control characters in SMTP commands (CVE-2025-7962)
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, "addresses",
                    "An address of the message contains a line break or another control character.");
        } catch (IllegalStateException e) {
            // Angus: "Not connected" (closed by us, or by the server after an error)
            throw new ConnectionFailedException(new ConnectionFailure(Protocol.SMTP, Step.SEND, Kind.NETWORK,
                    endpoint.host(), endpoint.port(), "the connection is closed; open a new one"), e);
        } catch (MessagingException | RuntimeException e) {
            throw FailureClassifier.toException(Protocol.SMTP, Step.SEND, endpoint.host(), endpoint.port(), e);
        }
    }

    /**
     * Sends QUIT and closes without waiting for the answer ({@code quitwait} is off, see
     * {@link SessionProperties}): a server that drips it, or never answers, cannot hold the caller.
     */
    @Override
    public void close() {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("Closing the SMTP connection to {} failed: {}", endpoint, e.toString());
        }
    }

    @Override
    public String toString() {
        return "SMTP connection to " + endpoint;
    }
}
