package io.postroom.persistence;

import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncTrigger;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The history of sync runs. A run's counters grow with each committed batch
 * ({@link MessageStore#write}); {@link #finish} keeps only the last runs of the mailbox.
 */
@ProviderType
public interface SyncRunStore {

    /**
     * Starts a run under the lease (fenced) and records it in the schedule; returns the run id. The
     * mailbox's earlier runs that never recorded their end (their node died, or lost the lease or the
     * database before it could) end now as {@link io.postroom.api.sync.SyncOutcome#INTERRUPTED}, with
     * an error that names their node.
     */
    long start(Lease lease, SyncTrigger trigger);

    /**
     * Finishes a run and deletes the mailbox's older runs beyond {@code keep}. Not fenced: a node
     * that lost its lease still records how its run ended.
     */
    void finish(long runId, SyncOutcome outcome, String error, int keep);

    /** The last runs of a mailbox, newest first. */
    List<SyncRun> history(long mailboxId, int limit);
}
