package io.postroom.persistence;

import io.postroom.api.TenantId;
import io.postroom.api.message.Correspondent;
import io.postroom.api.message.Direction;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A stored message as lists show it (no body).
 *
 * @param threadId        its conversation (the id of one of its messages)
 * @param from            first From address (empty when none)
 * @param to              To addresses
 * @param preview         the first characters of the text
 * @param date            Date header, or the internal date when missing or invalid
 * @param internalDate    the server's INTERNALDATE, may be null
 * @param size            RFC822.SIZE in bytes
 * @param flags           flags of all its locations together
 * @param hasAttachments  attachments other than inline images
 * @param folders         folders it is in on the server (empty when deleted there)
 * @param messageIdHeader Message-ID without angle brackets, null when none
 * @param problems        what could not be decoded (ParseProblem names)
 */
public record MessageRecord(long id, TenantId tenant, long mailboxId, long threadId, Direction direction,
                            Correspondent from, List<Correspondent> to, String subject, String preview, Instant date,
                            Instant internalDate, long size, Set<String> flags, boolean hasAttachments,
                            List<String> folders, boolean deletedOnServer, String messageIdHeader,
                            Set<String> problems) {
    public MessageRecord {
        to = to == null ? List.of() : List.copyOf(to);
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        folders = folders == null ? List.of() : List.copyOf(folders);
        problems = problems == null ? Set.of() : Set.copyOf(problems);
        subject = subject == null ? "" : subject;
        preview = preview == null ? "" : preview;
    }
}
