package io.postroom.api.sync;

/** Why a run happened. */
public enum SyncTrigger {
    /** The plan's interval came round. */
    SCHEDULED,
    /** Someone asked: "download new messages now". */
    MANUAL,
    /** Older mail after the sync period was widened, at low priority. */
    BACKFILL
}
