package io.postroom.api.mailbox;

import io.postroom.api.EmailAddress;
import java.util.Objects;

/** Resolved connection of a mailbox, without its password (which never leaves Postroom). */
public record ConnectionSettings(String preset, EmailAddress address, String username, Endpoint imap, Endpoint smtp) {
    public ConnectionSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(smtp, "smtp");
    }
}
