package io.postroom.testing.dovecot;

import java.util.Set;

/**
 * One message as the server holds it.
 *
 * @param uid        its UID in the folder
 * @param messageId  its Message-ID header value with angle brackets, unfolded; null when it has none
 * @param flags      its flags and keywords ({@code \Seen}, {@code $Forwarded}, ...), without {@code \Recent}
 * @param modSeq     its MODSEQ (RFC 7162)
 */
public record StoredMessage(long uid, String messageId, Set<String> flags, long modSeq) {

    public StoredMessage {
        flags = Set.copyOf(flags);
    }
}
