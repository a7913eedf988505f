package io.postroom.persistence;

import java.util.List;

/** A page of messages; {@code next} is null on the last page. */
public record MessageListing(List<MessageRecord> messages, MessageCursor next) {
    public MessageListing {
        messages = List.copyOf(messages);
    }
}
