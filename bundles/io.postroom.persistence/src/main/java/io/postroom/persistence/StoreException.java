package io.postroom.persistence;

/**
 * The store failed: the database is unreachable or refused the statement. Nothing of the failed
 * call was saved (every store method is one transaction). Subclasses name the failures a service
 * turns into its own errors.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
