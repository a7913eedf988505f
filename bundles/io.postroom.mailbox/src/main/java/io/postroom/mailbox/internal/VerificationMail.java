package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.persistence.MailboxRecord;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/** The message that carries a verification code from the mailbox to itself. */
final class VerificationMail {
    static final String SUBJECT = "Your Postroom verification code";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private VerificationMail() {
    }

    static MimeMessage build(Session session, MailboxRecord m, String code, Instant now, Instant expiresAt) {
        try {
            MimeMessage msg = new MimeMessage(session);
            InternetAddress self = m.settings().senderName().isBlank()
                    ? new InternetAddress(m.address().value(), true)
                    : new InternetAddress(m.address().value(), m.settings().senderName(), StandardCharsets.UTF_8.name());
            msg.setFrom(self);
            msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.address().value(), true));
            msg.setSubject(SUBJECT, StandardCharsets.UTF_8.name());
            msg.setSentDate(Date.from(now));
            msg.setHeader("Auto-Submitted", "auto-generated");
            msg.setText("Your code to confirm " + m.address() + " in Postroom is\r\n\r\n    " + code + "\r\n\r\n"
                    + "Enter it where you connected the mailbox. It is valid until " + TIME.format(expiresAt) + ".\r\n"
                    + "If you did not connect this mailbox to Postroom, ignore this message.\r\n",
                    StandardCharsets.UTF_8.name());
            return msg;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new PostroomException(ErrorCode.INTERNAL, "Could not build the verification message.", java.util.Map.of(), e);
        }
    }
}
