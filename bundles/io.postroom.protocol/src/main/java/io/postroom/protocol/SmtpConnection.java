package io.postroom.protocol;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** A logged-in SMTP connection. Close it when done. */
public interface SmtpConnection extends AutoCloseable {

    /** The session to build messages with (same properties as the transport). */
    Session session();

    /**
     * Sends a message to all its recipients (To, Cc, Bcc; the Bcc header itself is not sent), or to none:
     * one refused recipient fails the whole message. The message is saved first if nobody saved it,
     * which gives it a new Message-ID: call {@code saveChanges()} yourself to keep the one you recorded.
     *
     * @throws io.postroom.api.ConnectionFailedException with step SEND; 4yz replies are transient (THROTTLED),
     *         5yz permanent, with the server's reply in the detail
     * @throws io.postroom.api.PostroomException INVALID_INPUT without From or recipients, INVALID_ADDRESS for an
     *         unparseable address, HEADER_INJECTION for control characters in an address; nothing is sent
     */
    void send(MimeMessage message);

    @Override
    void close();
}
