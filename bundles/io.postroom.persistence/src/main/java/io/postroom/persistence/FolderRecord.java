package io.postroom.persistence;

import java.time.Instant;

/**
 * One synchronised folder of a mailbox and how far the sync got in it.
 *
 * @param id               folder id (stable while the folder keeps its name)
 * @param specialUse       SPECIAL-USE attribute name (SENT, ...) as last listed, or null
 * @param uidValidity      UIDVALIDITY the checkpoints belong to, null before the first sync
 * @param uidNext          UIDNEXT at the last sync
 * @param highUid          every UID above is new; null before the first sync finished
 * @param lowUid           lowest UID processed; older mail below it may still be downloaded (backfill)
 * @param highestModSeq    HIGHESTMODSEQ at the last sync (CONDSTORE), null without
 * @param messagesOnServer messages in the folder at the last sync
 * @param completeSince    every message from this instant on is stored (or skipped on purpose), null
 *                         until the first sync of the folder finished
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
