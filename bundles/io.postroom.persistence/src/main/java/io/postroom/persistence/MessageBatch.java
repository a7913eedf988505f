package io.postroom.persistence;

import java.util.List;
import java.util.Objects;

/**
 * What the sync writes for one folder in one transaction: new messages (or new locations of known
 * ones), flag changes, expunged UIDs, quarantine changes, the folder's checkpoint and the run's
 * counters, under the lease (fenced). Writing the same batch again changes nothing more
 * (idempotent), so a batch whose commit failed can simply be written again.
 *
 * @param lease              the writer's lease; a stale one rolls everything back
 * @param runId              the run whose counters grow
 * @param folderId           the folder
 * @param uidValidity        the folder's UIDVALIDITY the UIDs belong to
 * @param messages           messages found at UIDs of the folder
 * @param flagUpdates        changed flags of already stored locations
 * @param expungedUids       UIDs no longer on the server: their locations go; a message without any
 *                           location left is kept and marked deleted on the server
 * @param quarantined        messages that failed (recorded or counted again)
 * @param resolvedQuarantine UIDs whose quarantine entry goes (stored now, skipped, or gone)
 * @param checkpoint         the folder's checkpoint after this batch, null to leave it; one with UIDVALIDITY 0
 *                           (no server's) voids the folder, and every quarantine entry of the folder goes
 */
public record MessageBatch(Lease lease, long runId, long folderId, long uidValidity, List<MessageDraft> messages,
                           List<FlagUpdate> flagUpdates, List<Long> expungedUids, List<QuarantineDraft> quarantined,
                           List<Long> resolvedQuarantine, FolderCheckpoint checkpoint) {
    public MessageBatch {
        Objects.requireNonNull(lease, "lease");
        messages = messages == null ? List.of() : List.copyOf(messages);
        flagUpdates = flagUpdates == null ? List.of() : List.copyOf(flagUpdates);
        expungedUids = expungedUids == null ? List.of() : List.copyOf(expungedUids);
        quarantined = quarantined == null ? List.of() : List.copyOf(quarantined);
        resolvedQuarantine = resolvedQuarantine == null ? List.of() : List.copyOf(resolvedQuarantine);
    }

    public static MessageBatch of(Lease lease, long runId, long folderId, long uidValidity, List<MessageDraft> messages,
                                  FolderCheckpoint checkpoint) {
        return new MessageBatch(lease, runId, folderId, uidValidity, messages, null, null, null, null, checkpoint);
    }

    public boolean isEmpty() {
        return messages.isEmpty() && flagUpdates.isEmpty() && expungedUids.isEmpty() && quarantined.isEmpty()
                && resolvedQuarantine.isEmpty() && checkpoint == null;
    }
}
