package io.postroom.mime;

import java.time.Instant;
import java.util.List;

/**
 * What identifies a message/rfc822 part (a forwarded or bounced message): from its own header or,
 * on the IMAP path, from the ENVELOPE the server sends inside BODYSTRUCTURE.
 *
 * @param subject   decoded subject; null when absent
 * @param from      decoded From addresses; empty when absent
 * @param date      the Date field; null when absent or unreadable
 * @param messageId the Message-ID without angle brackets; null when absent
 */
public record EnclosedMessage(String subject, List<MailAddress> from, Instant date, String messageId) {
    public EnclosedMessage {
        from = from == null ? List.of() : List.copyOf(from);
    }
}
