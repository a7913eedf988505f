package io.postroom.persistence;

import java.util.Set;

/**
 * A message of a folder after its UIDVALIDITY changed: its new UID and what identifies it.
 *
 * @param messageIdHeader Message-ID without angle brackets, null when it has none
 * @param fingerprint     the header fingerprint, needed when there is no Message-ID (may be null otherwise)
 */
public record RemapEntry(long uid, String messageIdHeader, String fingerprint, Set<String> flags, Long modSeq) {
    public RemapEntry {
        flags = flags == null ? Set.of() : Set.copyOf(flags);
    }

    /** The message key, or null when neither Message-ID nor fingerprint is known. */
    public String key() {
        if ((messageIdHeader == null || messageIdHeader.isBlank()) && fingerprint == null) {
            return null;
        }
        return MessageKeys.of(messageIdHeader, fingerprint);
    }
}
