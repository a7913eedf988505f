package io.postroom.persistence;

import io.postroom.api.message.Direction;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A message as the sync found it at one UID of a folder: what to store when it is new, and the
 * location to add either way. Values longer than their columns are cut; NUL characters are dropped.
 *
 * @param uid             its UID in the batch's folder
 * @param flags           its IMAP flags
 * @param modSeq          its MODSEQ, null without CONDSTORE
 * @param messageIdHeader Message-ID without angle brackets, null when it has none
 * @param fingerprint     hash of the header block: the identity when there is no Message-ID
 * @param direction       received or sent (from the folder and the mailbox's address)
 * @param addresses       From, Sender, To, Cc, Bcc, Reply-To in header order
 * @param date            Date header, null when missing or unreadable (the internal date is used)
 * @param internalDate    the server's INTERNALDATE
 * @param size            RFC822.SIZE
 * @param inReplyTo       In-Reply-To ids without angle brackets
 * @param references      References ids without angle brackets, oldest first
 * @param text            plain text, may be empty
 * @param html            sanitised HTML, null when none
 * @param problems        names of what could not be decoded (kept raw and flagged)
 */
public record MessageDraft(long uid, Set<String> flags, Long modSeq, String messageIdHeader, String fingerprint,
                           Direction direction, String subject, String normalizedSubject,
                           List<MessageAddress> addresses, Instant date, Instant internalDate, long size,
                           String autoSubmitted, String listId, List<String> inReplyTo, List<String> references,
                           String text, String html, List<AttachmentRecord> attachments, Set<String> problems) {
    public MessageDraft {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(direction, "direction");
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        inReplyTo = inReplyTo == null ? List.of() : List.copyOf(inReplyTo);
        references = references == null ? List.of() : List.copyOf(references);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        problems = problems == null ? Set.of() : Set.copyOf(problems);
        text = text == null ? "" : text;
        if (messageIdHeader != null && messageIdHeader.isBlank()) {
            messageIdHeader = null;
        }
    }

    /** The key that makes the message one record per mailbox: see {@link MessageKeys}. */
    public String key() {
        return MessageKeys.of(messageIdHeader, fingerprint);
    }
}
