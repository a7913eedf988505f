package io.postroom.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * The pending verification code of a mailbox, as stored: a salted hash, never the code.
 *
 * @param codeHash       hash of salt and code, as the service computes it
 * @param salt           random, per code
 * @param failedAttempts wrong codes entered so far
 */
public record VerificationCode(long mailboxId, String codeHash, String salt, Instant expiresAt, int failedAttempts,
                               Instant createdAt) {
    public VerificationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "VerificationCode[mailbox=" + mailboxId + ", expiresAt=" + expiresAt + ", failedAttempts="
                + failedAttempts + "]";
    }
}
