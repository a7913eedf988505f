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
     * The folder's UIDVALIDITY changed: in one transaction, every old location of the folder goes,
     * and each entry whose Message-ID (or fingerprint) matches a record of the mailbox gets its new
     * location. Record ids stay; records no longer located anywhere are marked deleted on the server.
     * The checkpoint (new UIDVALIDITY) is written with it.
     *
     * @throws LeaseLostException when the lease is stale; nothing was written
     */
    RemapResult remap(Lease lease, long folderId, List<RemapEntry> entries, FolderCheckpoint checkpoint);

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
