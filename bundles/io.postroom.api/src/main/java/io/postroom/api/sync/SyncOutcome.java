package io.postroom.api.sync;

/** How a run ended. */
public enum SyncOutcome {
    SUCCEEDED,
    /** Finished, but some folders failed or some messages were quarantined. */
    PARTIAL,
    FAILED,
    /** Stopped before the end (node stopping, lease lost); the next run resumes where it stopped. */
    INTERRUPTED
}
