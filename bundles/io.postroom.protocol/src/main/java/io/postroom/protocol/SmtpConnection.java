package io.postroom.protocol;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A logged-in SMTP connection. Close it when done; closing does not wait for the server's answer to QUIT.
 *
 * <p>The whole connection, from opening it to closing it, is bounded by the command timeout of the
 * connector's configuration ({@link ConnectorConfig#commandTimeout()}): once that much time has passed
 * since it was opened, anything that waits for the server fails with a {@code TIMEOUT} and the
 * connection is closed. Open one for a send (or a few), rather than keeping one open.
 */
public interface SmtpConnection extends AutoCloseable {

    /** The session to build messages with (same properties as the transport). */
    Session session();

    /**
     * Sends a message to all its recipients (To, Cc, Bcc; the Bcc header itself is not sent), or to none:
     * one refused recipient fails the whole message. The message is saved first if nobody saved it,
     * which gives it a new Message-ID: call {@code saveChanges()} yourself to keep the one you recorded.
     *
     * @throws io.postroom.api.ConnectionFailedException with step SEND; 4yz replies are transient (THROTTLED),
     *         5yz permanent, with the server's reply in the detail; TIMEOUT when the connection's time ran out
     *         (the connection is then closed, and the message may or may not have been accepted)
     * @throws io.postroom.api.PostroomException INVALID_INPUT without From or recipients, INVALID_ADDRESS for an
     *         unparseable address, HEADER_INJECTION for control characters in an address; nothing is sent
     */
    void send(MimeMessage message);

    @Override
    void close();
}
