package io.postroom.persistence;

import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncTrigger;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * When each mailbox syncs and which node syncs it: the cluster lease in the database. Every time
 * comparison uses the database's clock (nodes' clocks differ). Each method is one transaction.
 *
 * @throws StoreException (from every method) when the database fails
 */
@ProviderType
public interface ScheduleStore {

    /**
     * Adds a schedule row (due now) for each target that has none, and updates the interval of
     * the others. Safe when several nodes do it at once.
     */
    void ensureScheduled(Collection<ScheduleTarget> targets);

    /**
     * Claims up to {@code max} mailboxes for {@code node}: due ones ({@link ClaimKind#REGULAR},
     * oldest due first) or ones with backfill pending ({@link ClaimKind#BACKFILL}), whose mailbox is
     * active and whose lease is free or expired. Each claim is a conditional update that only one
     * node can win; the lease lasts {@code ttl} on the database's clock.
     */
    List<Claim> claim(String node, ClaimKind kind, int max, Duration ttl);

    /**
     * Claims one mailbox whether it is due or not (a run asked for on this node), when its lease is
     * free or expired and the mailbox is active. Empty when another node holds it or there is no
     * schedule row.
     */
    Optional<Claim> claimMailbox(String node, long mailboxId, ClaimKind kind, Duration ttl);

    /** Extends the lease; false when it was lost (another node claimed the mailbox, or it was released). */
    boolean heartbeat(Lease lease);

    /**
     * Ends a run: releases the lease, clears the progress, writes the outcome and the next due
     * time. Does nothing (returns false) when the lease was lost meanwhile.
     */
    boolean release(Lease lease, RunEnd end);

    /** Saves a running sync's progress; false when the lease was lost. */
    boolean saveProgress(Lease lease, SyncProgress progress);

    /**
     * "Sync now": the mailbox is due at once with trigger MANUAL (or the given one). Creates the
     * schedule row when missing (with a one-hour interval until the next {@link #ensureScheduled}).
     */
    void requestRun(long mailboxId, io.postroom.api.TenantId tenant, SyncTrigger trigger);

    /** Marks older mail as pending for a low-priority backfill run, or done. */
    void setBackfillPending(long mailboxId, boolean pending);

    Optional<ScheduleRecord> find(long mailboxId);

    /** Records that a node is alive (postroom_node, on the database's clock). */
    void nodeAlive(String node);
}
