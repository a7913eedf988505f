package io.postroom.sync.internal;

import io.postroom.mime.BodyPart;
import io.postroom.mime.TextSelection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the sync downloaded of one message: FETCH metadata, the header block, the body structure
 * and the selected text parts (or, when the server's body structure was unusable, the beginning
 * of the whole message). Attachments are never downloaded.
 */
final class Fetched {
    private final long uid;
    Set<String> flags = Set.of();
    Instant internalDate;
    long size;
    Long modSeq;
    byte[] header;
    BodyPart structure;
    TextSelection selection;
    final Map<String, byte[]> texts = new HashMap<>();
    /** The beginning of the whole message when the body structure could not be used. */
    byte[] whole;
    /** Why the message could not be fetched; it goes to quarantine. */
    String failure;
    final Set<String> problems = new LinkedHashSet<>();

    Fetched(long uid) {
        this.uid = uid;
    }

    long uid() {
        return uid;
    }

    Set<String> flags() {
        return flags;
    }

    Instant internalDate() {
        return internalDate;
    }

    long size() {
        return size;
    }

    Long modSeq() {
        return modSeq;
    }

    Set<String> problems() {
        return problems;
    }

    /** Text bytes this message still needs to download (bounded by each part's fetch limit). */
    long textBytes() {
        if (selection == null) {
            return 0;
        }
        long total = 0;
        for (var part : selection.parts()) {
            long size = Math.max(0, part.part().size());
            total += Math.min(size, part.fetchLimit());
        }
        return total;
    }

    /** Identity when parsing gave no fingerprint: a hash of the header block, else of the UID. */
    String fallbackFingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] source = header != null ? header : whole != null ? whole : ("uid:" + uid).getBytes(StandardCharsets.US_ASCII);
            return HexFormat.of().formatHex(sha.digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
