package io.postroom.sync.internal;

import io.postroom.api.TenantId;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.persistence.Claim;
import io.postroom.persistence.Lease;
import io.postroom.persistence.LeaseLostException;
import io.postroom.protocol.ImapConnection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One run of one mailbox: its lease, its counters and progress, and whether it must stop. */
final class RunContext {
    static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    final Claim claim;
    final Lease lease;
    final long runId;
    final SyncParts parts;
    final ExecutorService parsePool;
    final RunProgress progress;
    final AtomicLong stored = new AtomicLong();
    final AtomicLong locations = new AtomicLong();
    final AtomicLong flagChanges = new AtomicLong();
    final AtomicLong expunged = new AtomicLong();
    final AtomicInteger quarantined = new AtomicInteger();
    final AtomicLong imapCommands = new AtomicLong();
    /** Where the time went (nanoseconds): fetching, waiting for a free batch slot, parsing (all threads), writing. */
    final AtomicLong fetchNanos = new AtomicLong();
    final AtomicLong waitNanos = new AtomicLong();
    final AtomicLong parseNanos = new AtomicLong();
    final AtomicLong writeNanos = new AtomicLong();
    /** Messages a backfill run may still download. */
    final AtomicLong backfillBudget;

    volatile io.postroom.api.ConnectionFailure.Step step = io.postroom.api.ConnectionFailure.Step.CONNECT;
    volatile MailboxConnection connection;
    volatile TenantId tenant;
    volatile ImapConnection imap;
    private volatile boolean leaseLost;
    private volatile String stopReason;
    private volatile long lastProgressSave = System.nanoTime();

    RunContext(Claim claim, long runId, SyncParts parts, ExecutorService parsePool, RunProgress progress) {
        this.claim = claim;
        this.lease = claim.lease();
        this.runId = runId;
        this.parts = parts;
        this.parsePool = parsePool;
        this.progress = progress;
        this.backfillBudget = new AtomicLong(parts.settings().backfillMessages());
    }

    long mailboxId() {
        return lease.mailboxId();
    }

    /** The lease is gone (another node claimed the mailbox): stop without writing. */
    void leaseLost() {
        leaseLost = true;
        closeConnection();
    }

    /** The node is stopping: end the run as soon as possible. */
    void stop(String reason) {
        stopReason = reason;
        closeConnection();
    }

    boolean stopping() {
        return stopReason != null || leaseLost;
    }

    /** Throws when the run must end now. */
    void checkAlive() {
        if (leaseLost) {
            throw new LeaseLostException(lease);
        }
        if (stopReason != null) {
            throw new RunStopped(stopReason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new RunStopped("the sync thread was interrupted");
        }
    }

    /** Writes the progress to the schedule row when the last write is ~2 s ago (the node's REST can read it). */
    void maybeSaveProgress() {
        long now = System.nanoTime();
        if (now - lastProgressSave >= PROGRESS_EVERY_NANOS) {
            saveProgress();
        }
    }

    void saveProgress() {
        lastProgressSave = System.nanoTime();
        try {
            if (!parts.schedule().saveProgress(lease, progress.snapshot())) {
                leaseLost();
            }
        } catch (RuntimeException e) {
            // progress is information; the next batch's write will tell whether the database is there
        }
    }

    /**
     * Breaks the run's IMAP connection off (called from the heartbeat or the stopping thread): the
     * run's command in progress fails at once. Not {@code close()}: it would wait for that command
     * (Angus's locks), for as long as the command timeout, holding the node's heartbeats or its
     * stop. The run's own thread closes the connection when it ends.
     */
    private void closeConnection() {
        ImapConnection c = imap;
        if (c != null) {
            c.abort();
        }
    }
}
