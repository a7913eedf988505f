package io.postroom.persistence;

/**
 * The database refused a value (too long, out of range, a check constraint). Nothing of the call
 * was saved; retrying the same data fails again.
 */
public class DataRejectedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DataRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
