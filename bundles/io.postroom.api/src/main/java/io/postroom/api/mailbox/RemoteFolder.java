package io.postroom.api.mailbox;

import java.util.Objects;
import java.util.Set;

/**
 * A folder as the server lists it.
 *
 * @param name       full name, with the server's hierarchy delimiter ("INBOX", "[Gmail]/Sent Mail")
 * @param specialUse SPECIAL-USE attributes, empty where the server has none
 * @param selectable false for \Noselect containers
 */
public record RemoteFolder(String name, Set<SpecialUse> specialUse, boolean selectable) {
    public RemoteFolder {
        Objects.requireNonNull(name, "name");
        specialUse = specialUse == null ? Set.of() : Set.copyOf(specialUse);
    }

    public boolean inbox() {
        return "INBOX".equalsIgnoreCase(name);
    }
}
