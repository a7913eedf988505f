package io.postroom.persistence;

import io.postroom.api.message.Correspondent;
import java.util.List;
import java.util.Objects;

/**
 * A stored message with everything: addresses, references, text, HTML, attachments, locations.
 *
 * @param addresses  every address in header order (use {@link #addresses(AddressKind)})
 * @param inReplyTo  In-Reply-To ids without angle brackets
 * @param references References ids, oldest first
 * @param html       sanitised HTML, null when the message had none
 * @param locations  where it is on the server now (empty when deleted there)
 */
public record MessageDetail(MessageRecord summary, List<MessageAddress> addresses, List<String> inReplyTo,
                            List<String> references, String autoSubmitted, String listId, String normalizedSubject,
                            String text, String html, List<AttachmentRecord> attachments,
                            List<MessageLocation> locations) {
    public MessageDetail {
        Objects.requireNonNull(summary, "summary");
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        inReplyTo = inReplyTo == null ? List.of() : List.copyOf(inReplyTo);
        references = references == null ? List.of() : List.copyOf(references);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        locations = locations == null ? List.of() : List.copyOf(locations);
        text = text == null ? "" : text;
    }

    public List<Correspondent> addresses(AddressKind kind) {
        return addresses.stream().filter(a -> a.kind() == kind).map(MessageAddress::correspondent).toList();
    }
}
