package io.postroom.mailbox.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.protocol.Credentials;

/** A connection with every blank filled in and every field checked. Prints without the password. */
record ResolvedConnection(String preset, EmailAddress address, String username, Secret password, Endpoint imap,
                          Endpoint smtp) {

    Credentials credentials() {
        return new Credentials(username, password);
    }

    ConnectionSettings settings() {
        return new ConnectionSettings(preset, address, username, imap, smtp);
    }

    @Override
    public String toString() {
        return "ResolvedConnection[" + preset + " " + address + " as " + username + " imap=" + imap + " smtp=" + smtp + "]";
    }
}
