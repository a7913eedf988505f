package io.postroom.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a message within a mailbox: its Message-ID, else the fingerprint of its header
 * block. A message in two folders, or seen again after a UIDVALIDITY change, has the same key.
 */
public final class MessageKeys {
    private static final int MAX_PLAIN = 250;

    private MessageKeys() {
    }

    /** {@code <id>} for a Message-ID (hashed when longer than 250 characters), else {@code fp:<fingerprint>}. */
    public static String of(String messageIdHeader, String fingerprint) {
        if (messageIdHeader != null && !messageIdHeader.isBlank()) {
            return ofMessageId(messageIdHeader);
        }
        return "fp:" + fingerprint;
    }

    /** The key of a Message-ID (without angle brackets), as References point to it. */
    public static String ofMessageId(String messageIdHeader) {
        String id = strip(messageIdHeader);
        return id.length() <= MAX_PLAIN ? "<" + id + ">" : "<#" + sha256(id) + ">";
    }

    private static String strip(String id) {
        String s = id.strip();
        if (s.length() >= 2 && s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
