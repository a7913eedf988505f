package io.postroom.api.sync;

/** Where a mailbox's synchronisation stands. */
public enum SyncState {
    /** Waiting for its next scheduled run. */
    IDLE,
    /** Due now ("sync now" or schedule); a node will pick it up within seconds. */
    QUEUED,
    /** A node is synchronising it. */
    RUNNING,
    /** The last run failed transiently; it is retried after a back-off. */
    WAITING_RETRY,
    /** The mailbox is inactive: no sync. */
    INACTIVE
}
