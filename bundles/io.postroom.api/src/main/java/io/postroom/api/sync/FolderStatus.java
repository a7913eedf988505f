package io.postroom.api.sync;

import java.time.Instant;

/**
 * One synchronised folder.
 *
 * @param name             full folder name on the server
 * @param messagesOnServer messages in the folder at the last sync (all dates)
 * @param messagesStored   messages of this folder stored in the CRM
 * @param lastSyncedAt     null before the first sync of the folder
 * @param backfillPending  older messages within the sync period are still to be downloaded
 * @param lastError        the folder's last error, null if none
 */
public record FolderStatus(String name, long messagesOnServer, long messagesStored, Instant lastSyncedAt,
                           boolean backfillPending, String lastError) {
}
