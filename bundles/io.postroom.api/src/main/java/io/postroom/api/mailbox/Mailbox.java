package io.postroom.api.mailbox;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import java.time.Instant;

/**
 * A connected account as an actor may see it. Never holds the password.
 *
 * @param id                  the mailbox
 * @param tenant              its tenant
 * @param owner               the user who connected it; the only one who changes its settings
 * @param address             the account's address, unique among the tenant's active mailboxes
 * @param name                the name in lists, with the owner's first and last name filled in
 * @param connection          servers and login name (no password)
 * @param settings            what the owner chose
 * @param state               active or inactive
 * @param inactiveReason      why it is inactive (null when active)
 * @param verified            the address was confirmed with a code; only verified mailboxes send
 * @param consecutiveFailures failed connections in a row; 10 deactivate the mailbox
 * @param lastFailure         the last connection failure, for the owner to fix (null if none)
 * @param defaultForSending   whether it is the acting user's default mailbox for sending
 * @param stats               sync statistics
 * @param createdAt           when it was connected
 * @param updatedAt           when it last changed
 */
public record Mailbox(MailboxId id, TenantId tenant, UserId owner, EmailAddress address, String name,
                      ConnectionSettings connection, MailboxSettings settings, MailboxState state, String inactiveReason,
                      boolean verified, int consecutiveFailures, String lastFailure, boolean defaultForSending,
                      MailboxStats stats, Instant createdAt, Instant updatedAt) {

    public boolean active() {
        return state == MailboxState.ACTIVE;
    }
}
