package io.postroom.persistence;

import java.util.Set;

/**
 * A stored message's place in a folder.
 *
 * @param uid       its UID under the folder's UIDVALIDITY
 * @param messageId the CRM message
 * @param flags     IMAP flags as last seen
 * @param modSeq    MODSEQ as last seen, null without CONDSTORE
 */
public record LocationRecord(long uid, long messageId, Set<String> flags, Long modSeq) {
    public LocationRecord {
        flags = flags == null ? Set.of() : Set.copyOf(flags);
    }
}
