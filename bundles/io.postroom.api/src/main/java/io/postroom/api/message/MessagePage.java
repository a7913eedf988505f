package io.postroom.api.message;

import java.util.List;

/** A page of messages; {@code nextCursor} is null on the last page. */
public record MessagePage(List<MessageSummary> messages, String nextCursor) {
    public MessagePage {
        messages = List.copyOf(messages);
    }
}
