package io.postroom.persistence;

import io.postroom.api.mailbox.KeepPolicy;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The synchronised folders of each mailbox and their checkpoints. */
@ProviderType
public interface FolderStore {

    /**
     * The folder's record, created (without checkpoints) when missing; the special use is updated.
     * Its {@link FolderRecord#messagesStored()} is -1 (not counted: that costs a pass over the
     * folder; {@link #list} counts).
     */
    FolderRecord open(long mailboxId, String name, String specialUse);

    /** The folder's record; {@link FolderRecord#messagesStored()} is -1, as with {@link #open}. */
    Optional<FolderRecord> find(long folderId);

    /** The mailbox's folders by name, with the number of stored messages in each. */
    List<FolderRecord> list(long mailboxId);

    /**
     * Every location of the folder, by UID, at once. The sync reads a folder a page at a time
     * ({@link #locations(long, long, long, int)}) instead: this list grows with the folder.
     */
    List<LocationRecord> locations(long folderId);

    /**
     * One page of the folder's locations: at most {@code limit} of those with a UID above
     * {@code afterUid} and at most {@code throughUid}, by UID. The next page starts after the last
     * UID of this one, so locations removed meanwhile do not shift it.
     */
    List<LocationRecord> locations(long folderId, long afterUid, long throughUid, int limit);

    /** The highest UID with a location in the folder; 0 when it has none. */
    long highestLocatedUid(long folderId);

    /**
     * The locations of the folder at these UIDs (those that have one), by UID: what a resync needs
     * of the messages the server reports changed, without reading the whole folder.
     */
    List<LocationRecord> locations(long folderId, java.util.Collection<Long> uids);

    /** The UIDs with a stored message among those from {@code from} to {@code to} (inclusive). */
    java.util.Set<Long> locatedUids(long folderId, long from, long to);

    /** Writes the checkpoint without messages (a folder with nothing new), under the lease (fenced). */
    void saveCheckpoint(Lease lease, long folderId, FolderCheckpoint checkpoint);

    /**
     * Records the keep setting (received, sent, both) the mailbox's folders are synchronised under,
     * under the lease (fenced). When it keeps something the one recorded before did not (received
     * to both, ...), every synchronised folder of the mailbox gets a backfill pass over the whole
     * sync period (its {@code completeSince} moves to now, a pass under way starts again from the
     * top): what is stored is skipped, what the old setting left out is downloaded at low priority;
     * the high UID and HIGHESTMODSEQ stay, so new mail, flag changes and expunges go on as before.
     * Nothing changes before the first recorded setting.
     *
     * @return whether the folders get that pass
     */
    boolean applyKeep(Lease lease, KeepPolicy keep);

    /** Records the folder's last error (null clears it). Not fenced: it is only information. */
    void recordError(long folderId, String error);
}
