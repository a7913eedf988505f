package io.postroom.persistence;

import java.util.Set;

/**
 * Where a stored message is on the server: what opening an attachment fetches from. When the
 * folder's UIDVALIDITY no longer matches, find the message again by its Message-ID.
 */
public record MessageLocation(long folderId, String folder, long uidValidity, long uid, Set<String> flags) {
    public MessageLocation {
        flags = flags == null ? Set.of() : Set.copyOf(flags);
    }
}
