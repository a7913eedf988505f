package io.postroom.api.sync;

import io.postroom.api.mailbox.MailboxId;
import java.time.Instant;
import java.util.List;

/**
 * What the host shows for a mailbox's synchronisation.
 *
 * @param mailbox            the mailbox
 * @param state              where it stands
 * @param progress           while RUNNING, else null
 * @param nextRunAt          next scheduled run, null when inactive
 * @param lastStartedAt      null before the first run
 * @param lastFinishedAt     null before the first finished run
 * @param lastError          the last run's error and what the owner must do, null if it succeeded
 * @param messagesDownloaded messages stored from this mailbox
 * @param messagesAssigned   of those, messages linked to a CRM contact or company
 * @param quarantined        messages that could not be stored and wait for a retry or an operator
 * @param folders            per-folder counts
 */
public record SyncStatus(MailboxId mailbox, SyncState state, SyncProgress progress, Instant nextRunAt,
                         Instant lastStartedAt, Instant lastFinishedAt, String lastError, long messagesDownloaded,
                         long messagesAssigned, int quarantined, List<FolderStatus> folders) {
    public SyncStatus {
        folders = folders == null ? List.of() : List.copyOf(folders);
    }
}
