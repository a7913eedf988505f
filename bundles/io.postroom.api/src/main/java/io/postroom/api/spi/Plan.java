package io.postroom.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What a user's plan allows.
 *
 * @param name                 shown in error messages ("Free", "Standard", ...)
 * @param maxMailboxesPerUser  personal mailboxes plus shared ones granted to the user; {@link #UNLIMITED} for no limit
 * @param syncInterval         how often each mailbox is synchronised on schedule
 * @param sharedMailboxes      whether mailboxes may be shared with named users
 */
public record Plan(String name, int maxMailboxesPerUser, Duration syncInterval, boolean sharedMailboxes) {
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public Plan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(syncInterval, "syncInterval");
        if (maxMailboxesPerUser < 0) {
            throw new IllegalArgumentException("maxMailboxesPerUser must not be negative");
        }
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive");
        }
    }

    public boolean unlimitedMailboxes() {
        return maxMailboxesPerUser == UNLIMITED;
    }
}
