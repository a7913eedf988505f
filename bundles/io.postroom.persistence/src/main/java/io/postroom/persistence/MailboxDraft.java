package io.postroom.persistence;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.MailboxSettings;
import java.time.Instant;
import java.util.Objects;

/**
 * A mailbox to insert: validated and probed by the service. It is stored active, unverified,
 * with no failures.
 *
 * @param sealedPassword the password as the secret cipher sealed it; never the password itself
 */
public record MailboxDraft(TenantId tenant, UserId owner, EmailAddress address, String preset, String username,
                           String sealedPassword, Endpoint imap, Endpoint smtp, MailboxSettings settings, Instant now) {
    public MailboxDraft {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sealedPassword, "sealedPassword");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(smtp, "smtp");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(now, "now");
    }

    @Override
    public String toString() {
        return "MailboxDraft[" + tenant + "/" + owner + " " + address + " imap=" + imap + " smtp=" + smtp + "]";
    }
}
