package io.postroom.persistence;

import java.time.Instant;

/**
 * One synchronised folder of a mailbox and how far the sync got in it.
 *
 * @param id               folder id (stable while the folder keeps its name)
 * @param specialUse       SPECIAL-USE attribute name (SENT, ...) as last listed, or null
 * @param uidValidity      UIDVALIDITY the checkpoints belong to, null before the first sync, 0 when the folder
 *                         was found gone from the server (its UIDs are void)
 * @param uidNext          UIDNEXT at the last sync
 * @param highUid          every UID above is new; null before the first sync finished
 * @param lowUid           the cursor of a backfill pass under way (every message of the pass at or above it
 *                         was processed), null when none is; the column's comment in V2 predates this
 * @param highestModSeq    HIGHESTMODSEQ at the last sync (CONDSTORE), null without
 * @param messagesOnServer messages in the folder at the last sync
 * @param completeSince    every message from this instant on is stored (or skipped on purpose), null
 *                         until the first sync of the folder finished; during a backfill pass its target,
 *                         complete above {@code lowUid}
 * @param lastSyncedAt     null before the first sync
 * @param lastError        the folder's last error, null if none
 * @param messagesStored   locations of stored messages in this folder ({@link FolderStore#list}); -1 when not
 *                         counted ({@link FolderStore#open}, {@link FolderStore#find})
 */
public record FolderRecord(long id, long mailboxId, String name, String specialUse, Long uidValidity, Long uidNext,
                           Long highUid, Long lowUid, Long highestModSeq, long messagesOnServer, Instant completeSince,
                           Instant lastSyncedAt, String lastError, long messagesStored) {

    /** The values a sync writes back, starting from these. */
    public FolderCheckpoint checkpoint() {
        return new FolderCheckpoint(uidValidity, uidNext, highUid, lowUid, highestModSeq, messagesOnServer,
                completeSince, lastSyncedAt);
    }
}
