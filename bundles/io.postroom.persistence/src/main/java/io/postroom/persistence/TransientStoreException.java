package io.postroom.persistence;

/**
 * The database failed for a reason that may pass: it could not be reached, the connection broke,
 * it is shutting down, or the transaction lost a race with a concurrent one (serialisation
 * failure, deadlock, a concurrent insert of the same key). Nothing of the call was saved (when
 * the connection broke during commit, the outcome is unknown: writes of the stores are idempotent,
 * so the same call may simply be made again).
 */
public class TransientStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    public TransientStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
