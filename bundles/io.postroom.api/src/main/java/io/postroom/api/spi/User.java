package io.postroom.api.spi;

import io.postroom.api.EmailAddress;
import io.postroom.api.UserId;
import java.util.Objects;
import java.util.Set;

/**
 * A user as the host knows it.
 *
 * @param id          unique within the tenant
 * @param displayName full name for lists and default sender names
 * @param firstName   for {@code {{first_name}}} in mailbox names; may be empty
 * @param lastName    for {@code {{last_name}}} in mailbox names; may be empty
 * @param email       the user's own address in the host, may be null
 * @param roles       the host's roles; Postroom reads {@link #MANAGER} and {@link #ADMIN}
 */
public record User(UserId id, String displayName, String firstName, String lastName, EmailAddress email, Set<String> roles) {
    /** Sees the messages of mailboxes whose visibility is "owner and managers". */
    public static final String MANAGER = "manager";
    /** Administers the tenant's Postroom: may deactivate or delete any mailbox, never change its settings. */
    public static final String ADMIN = "admin";

    public User {
        Objects.requireNonNull(id, "id");
        firstName = firstName == null ? "" : firstName.strip();
        lastName = lastName == null ? "" : lastName.strip();
        displayName = displayName == null || displayName.isBlank()
                ? (firstName + " " + lastName).strip()
                : displayName.strip();
        if (displayName.isEmpty()) {
            displayName = id.value();
        }
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean isManager() {
        return roles.contains(MANAGER) || isAdmin();
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
