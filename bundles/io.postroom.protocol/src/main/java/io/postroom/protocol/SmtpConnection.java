package io.postroom.protocol;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** A logged-in SMTP connection. Close it when done. */
public interface SmtpConnection extends AutoCloseable {

    /** The session to build messages with (same properties as the transport). */
    Session session();

    /**
     * Sends a message to its recipients.
     *
     * @throws io.postroom.api.ConnectionFailedException with step SEND; 4yz replies are transient, 5yz permanent
     */
    void send(MimeMessage message);

    @Override
    void close();
}
