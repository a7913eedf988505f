package io.postroom.persistence;

import java.time.Instant;

/**
 * How far a folder's sync got: written with the batch that got it there (same transaction), so a
 * crash resumes exactly after the last committed batch. See {@link FolderRecord} for the fields.
 */
public record FolderCheckpoint(Long uidValidity, Long uidNext, Long highUid, Long lowUid, Long highestModSeq,
                               long messagesOnServer, Instant completeSince, Instant syncedAt) {

    public FolderCheckpoint withHighUid(Long value) {
        return new FolderCheckpoint(uidValidity, uidNext, value, lowUid, highestModSeq, messagesOnServer, completeSince, syncedAt);
    }

    public FolderCheckpoint withLowUid(Long value) {
        return new FolderCheckpoint(uidValidity, uidNext, highUid, value, highestModSeq, messagesOnServer, completeSince, syncedAt);
    }

    public FolderCheckpoint withCompleteSince(Instant value) {
        return new FolderCheckpoint(uidValidity, uidNext, highUid, lowUid, highestModSeq, messagesOnServer, value, syncedAt);
    }

    /** The server's state as STATUS or SELECT reported it. */
    public FolderCheckpoint withServer(Long newUidValidity, Long newUidNext, Long newHighestModSeq, long messages,
                                       Instant now) {
        return new FolderCheckpoint(newUidValidity, newUidNext, highUid, lowUid, newHighestModSeq, messages,
                completeSince, now);
    }
}
