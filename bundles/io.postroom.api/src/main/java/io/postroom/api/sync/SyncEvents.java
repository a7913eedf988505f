package io.postroom.api.sync;

/** EventAdmin topics of the sync and their properties. */
public final class SyncEvents {
    public static final String COMPLETED = "postroom/sync/COMPLETED";
    public static final String FAILED = "postroom/sync/FAILED";
    public static final String ALL = "postroom/sync/*";

    /** String: tenant id. */
    public static final String TENANT = "tenant";
    /** Long: mailbox id. */
    public static final String MAILBOX_ID = "mailbox.id";
    /** Long: run id. */
    public static final String RUN_ID = "run.id";
    /** String: SyncOutcome name. */
    public static final String OUTCOME = "outcome";
    /** Long: messages stored by the run. */
    public static final String MESSAGES_STORED = "messages.stored";
    /** String: error (FAILED only). */
    public static final String ERROR = "error";
    /** String: ConnectionFailure.Kind name when a connection failed (FAILED only). */
    public static final String FAILURE_KIND = "failure.kind";

    private SyncEvents() {
    }
}
