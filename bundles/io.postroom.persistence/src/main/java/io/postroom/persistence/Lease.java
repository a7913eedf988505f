package io.postroom.persistence;

import java.time.Duration;
import java.util.Objects;

/**
 * A node's claim on one mailbox's sync. The database is the arbiter: a claim succeeds only while
 * no other lease is valid by the database's clock, and every claim increments the epoch. Each
 * write of the sync names its lease; the store checks owner and epoch in the same transaction and
 * extends the lease by {@code ttl} (fencing), or rolls back with {@link LeaseLostException}.
 *
 * @param mailboxId the mailbox
 * @param owner     the node id
 * @param epoch     the epoch this claim got
 * @param ttl       how long the lease lasts after each claim, heartbeat or write
 */
public record Lease(long mailboxId, String owner, long epoch, Duration ttl) {
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }
}
