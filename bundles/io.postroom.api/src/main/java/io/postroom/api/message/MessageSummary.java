package io.postroom.api.message;

import io.postroom.api.mailbox.MailboxId;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A message in a list.
 *
 * @param id              the message
 * @param mailbox         its mailbox
 * @param threadId        its conversation
 * @param direction       received or sent
 * @param from            first From address
 * @param to              To addresses
 * @param subject         decoded subject; null when the content is hidden from the actor
 * @param preview         the first characters of the text; null when hidden
 * @param date            Date header, or the server's internal date when missing or invalid
 * @param size            RFC822.SIZE in bytes
 * @param flags           IMAP flags on the server (\Seen, \Flagged, ...)
 * @param hasAttachments  whether it has attachments (not inline images)
 * @param folders         folders it is in on the server (empty when deleted there)
 * @param deletedOnServer it is gone from the server; its text stays in the CRM
 * @param contentHidden   the mailbox is private and the actor is not its owner
 */
public record MessageSummary(MessageId id, MailboxId mailbox, long threadId, Direction direction, Correspondent from,
                             List<Correspondent> to, String subject, String preview, Instant date, long size,
                             Set<String> flags, boolean hasAttachments, List<String> folders, boolean deletedOnServer,
                             boolean contentHidden) {
    public MessageSummary {
        to = to == null ? List.of() : List.copyOf(to);
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        folders = folders == null ? List.of() : List.copyOf(folders);
    }
}
