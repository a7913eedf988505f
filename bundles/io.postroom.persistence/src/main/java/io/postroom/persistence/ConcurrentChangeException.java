package io.postroom.persistence;

/** The record changed since it was read (its version differs): read it again and retry. */
public class ConcurrentChangeException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long id;

    public ConcurrentChangeException(long id, Throwable cause) {
        super("Mailbox " + id + " was changed by someone else meanwhile.", cause);
        this.id = id;
    }

    public long id() {
        return id;
    }
}
