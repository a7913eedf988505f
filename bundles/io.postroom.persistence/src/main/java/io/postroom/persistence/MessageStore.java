package io.postroom.persistence;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Synchronised messages: one record per message and mailbox (deduplicated by Message-ID, else by
 * header fingerprint), with its locations (folder, UIDVALIDITY, UID, flags), addresses,
 * references, attachment metadata and body. Writes come from the sync in batches under its lease;
 * reads serve the message service. No access rules here.
 *
 * @throws StoreException (from every method) when the database fails; {@link TransientStoreException}
 *                        when retrying may help, {@link DataRejectedException} when a value was refused
 */
@ProviderType
public interface MessageStore {

    /**
     * Writes a batch in one transaction (see {@link MessageBatch}): fence check, new records
     * (deduplicated, threaded: a parent that arrives after its children merges their threads),
     * locations, flags, expunges, quarantine, checkpoint, run counters.
     *
     * @throws LeaseLostException when the lease is stale; nothing was written
     */
    BatchResult write(MessageBatch batch);

    /**
     * The folder's UIDVALIDITY changed; its messages are matched again a chunk at a time (a large
     * folder's entries are never held at once). First step, in one transaction: the folder's
     * records that are located in no other folder are marked deleted on the server, every location
     * of the folder goes, and its quarantine entries of other UIDVALIDITYs. The checkpoint stays as
     * it was: a run that stops before the new one is written (by {@link FolderStore#saveCheckpoint})
     * finds the UIDVALIDITY changed again and starts over. At every commit a record without any
     * location is marked deleted on the server.
     *
     * @return the locations removed
     * @throws LeaseLostException when the lease is stale; nothing was written
     */
    int remapBegin(Lease lease, long folderId, long uidValidity);

    /**
     * After {@link #remapBegin}, one chunk in one transaction: each entry whose Message-ID (or
     * fingerprint) matches a record of the mailbox gets its location under {@code uidValidity}, and
     * that record is no longer deleted on the server. Record ids stay.
     *
     * @return how many UIDs matched
     * @throws LeaseLostException when the lease is stale; nothing was written
     */
    int remapChunk(Lease lease, long folderId, long uidValidity, List<RemapEntry> entries);

    /** A page of messages, newest first. */
    MessageListing list(MessageFilter filter);

    /** One message with everything. */
    Optional<MessageDetail> find(long messageId);

    /** The messages of a conversation, oldest first. */
    List<MessageRecord> thread(long threadId);

    /** Where the message is on the server now. */
    List<MessageLocation> locations(long messageId);

    /** The mailbox's record with this Message-ID (with or without angle brackets). */
    Optional<Long> findByMessageIdHeader(long mailboxId, String messageIdHeader);

    /** One attachment of a message, by its index (from 1). */
    Optional<AttachmentRecord> attachment(long messageId, int index);

    /** Messages stored from the mailbox. */
    long count(long mailboxId);
}
