package io.postroom.mailbox;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.protocol.Credentials;
import java.util.Objects;

/**
 * An active mailbox ready to connect to: servers, decrypted credentials and the owner's settings
 * (folders to sync, sync period, linking). {@link #toString()} never shows the password.
 *
 * @param senderName the display name for From (no CR/LF), may be empty
 * @param verified   whether the address is confirmed; only verified mailboxes send
 */
public record MailboxConnection(MailboxId id, TenantId tenant, UserId owner, EmailAddress address, String senderName,
                                Endpoint imap, Endpoint smtp, Credentials credentials, MailboxSettings settings,
                                boolean verified) {
    public MailboxConnection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String toString() {
        return "MailboxConnection[" + id + " " + address + " imap=" + imap + " smtp=" + smtp + " " + credentials + "]";
    }
}
