package io.postroom.persistence;

/**
 * The writer no longer holds the mailbox's sync lease (it expired and another node claimed it, or
 * it was released): the write was rolled back and the writer must stop.
 */
public class LeaseLostException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Lease lease;

    public LeaseLostException(Lease lease) {
        super("Node " + lease.owner() + " lost the sync lease of mailbox " + lease.mailboxId() + " (epoch "
                + lease.epoch() + "); another node continues the sync.");
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }
}
