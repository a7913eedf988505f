package io.postroom.persistence;

import io.postroom.api.UserId;
import java.util.Objects;

/**
 * A plan limit the store checks inside the writing transaction: after the change, the user may
 * have at most {@code maxMailboxes} active mailboxes counted against them (owned, plus shared
 * with them).
 */
public record UserLimit(UserId user, int maxMailboxes) {
    public UserLimit {
        Objects.requireNonNull(user, "user");
        if (maxMailboxes < 0) {
            throw new IllegalArgumentException("maxMailboxes must not be negative");
        }
    }
}
