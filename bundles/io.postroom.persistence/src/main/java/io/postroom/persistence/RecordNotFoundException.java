package io.postroom.persistence;

/** The mailbox does not exist (any more). */
public class RecordNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long id;

    public RecordNotFoundException(long id) {
        super("Mailbox " + id + " does not exist.");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
