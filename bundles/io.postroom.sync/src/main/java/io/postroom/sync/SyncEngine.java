package io.postroom.sync;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncProgress;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Synchronises mailboxes: a poller claims due mailboxes through the database lease (so that a
 * cluster of nodes syncs each mailbox on exactly one node at a time), a bounded pool of workers
 * runs them, a heartbeat keeps their leases. Build one with {@link SyncEngines#builder()}.
 */
@ProviderType
public interface SyncEngine extends AutoCloseable {

    /** Starts polling for due mailboxes (and heartbeats). Without it, only {@link #syncNow} runs. */
    void start();

    /** Looks for due mailboxes now instead of at the next poll (after "sync now" on this node). */
    void wake();

    /**
     * Claims the mailbox and synchronises it on the calling thread, whether it is due or not:
     * for tools, benchmarks and tests.
     *
     * @throws io.postroom.api.PostroomException SYNC_ALREADY_RUNNING when a node (this one or another)
     *                                           holds its lease, MAILBOX_NOT_FOUND when it has no schedule
     *                                           and is not an active mailbox
     * @throws Error                             an Error (out of memory, a linkage error) that ended the
     *                                           run, after the run was recorded as failed and its lease released
     */
    RunReport syncNow(MailboxId mailbox);

    /** The progress of a run on this node, if one runs now. */
    Optional<SyncProgress> progress(MailboxId mailbox);

    /** Stops claiming, interrupts running syncs (they end INTERRUPTED and release their leases) and waits for them. */
    @Override
    void close();
}
