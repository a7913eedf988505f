package io.postroom.persistence;

/** What a node claims a mailbox for. */
public enum ClaimKind {
    /** A scheduled or requested run: due mailboxes, oldest due first. */
    REGULAR,
    /** Low-priority download of older mail (the sync period was widened), only when nothing is due. */
    BACKFILL
}
