package io.postroom.mailbox.internal;

import io.postroom.api.UserId;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import java.util.Optional;

/**
 * A stored mailbox as an actor sees it: no password, the name filled in, their default marked,
 * the sync's statistics (messages downloaded, last sync start, end and error).
 */
final class Views {
    private final TenantDirectory directory;
    private final MailboxStore store;

    Views(TenantDirectory directory, MailboxStore store) {
        this.directory = directory;
        this.store = store;
    }

    private MailboxStats stats(long id) {
        try {
            return store.stats(id);
        } catch (StoreException e) {
            throw Errors.store(e);
        }
    }

    Mailbox view(MailboxRecord m, UserId viewer, Optional<Long> viewersDefault) {
        Optional<User> owner = directory.user(m.tenant(), m.owner());
        String name = NameTemplate.render(m.settings().nameTemplate(), owner.map(User::firstName).orElse(""),
                owner.map(User::lastName).orElse(""), m.address().value());
        return new Mailbox(MailboxId.of(m.id()), m.tenant(), m.owner(), m.address(), name,
                new ConnectionSettings(m.preset(), m.address(), m.username(), m.imap(), m.smtp()),
                m.settings(), m.state(), m.inactiveReason(), m.verified(), m.consecutiveFailures(), m.lastFailure(),
                viewer != null && viewersDefault.isPresent() && viewersDefault.get() == m.id(),
                stats(m.id()), m.createdAt(), m.updatedAt());
    }
}
