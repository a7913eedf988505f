package io.postroom.mailbox;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import java.time.Duration;

/**
 * An active mailbox as the sync engine schedules it (no credentials: ask
 * {@link MailboxConnections#connection} when it is its turn).
 *
 * @param syncInterval how often to synchronise: the owner's plan
 * @param settings     folders, sync period, CRM linking and what to keep
 */
public record SyncTarget(MailboxId id, TenantId tenant, UserId owner, EmailAddress address, Duration syncInterval,
                         MailboxSettings settings, boolean verified, int consecutiveFailures) {
}
