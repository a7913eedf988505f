package io.postroom.persistence;

import java.util.Collection;
import java.util.List;

/**
 * Which messages to list, newest first (by date, then id).
 *
 * @param mailboxIds the mailboxes (the service decides which the actor may see); empty gives nothing
 * @param folder     only messages in this folder, or null for all
 * @param after      continue after this position, or null for the first page
 * @param limit      page size, at least 1
 */
public record MessageFilter(Collection<Long> mailboxIds, String folder, MessageCursor after, int limit) {
    public MessageFilter {
        mailboxIds = mailboxIds == null ? List.of() : List.copyOf(mailboxIds);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
