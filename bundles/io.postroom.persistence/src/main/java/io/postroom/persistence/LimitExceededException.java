package io.postroom.persistence;

import io.postroom.api.UserId;

/**
 * The change would give a user more active mailboxes than their plan allows; nothing was saved.
 *
 * @see UserLimit
 */
public class LimitExceededException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient UserId user;
    private final long count;
    private final int limit;

    public LimitExceededException(UserId user, long count, int limit) {
        super("User " + user + " would have " + count + " active mailboxes; the limit is " + limit + ".");
        this.user = user;
        this.count = count;
        this.limit = limit;
    }

    public UserId user() {
        return user;
    }

    /** The count the change would have led to. */
    public long count() {
        return count;
    }

    public int limit() {
        return limit;
    }
}
