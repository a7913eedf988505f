package io.postroom.persistence;

import java.util.Objects;

/**
 * A message the sync failed to fetch or store. Recording it again counts another attempt; after
 * {@code maxAttempts} the entry is given up (no more automatic retries).
 */
public record QuarantineDraft(String folder, long uidValidity, long uid, String error, int maxAttempts) {
    public QuarantineDraft {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(error, "error");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
