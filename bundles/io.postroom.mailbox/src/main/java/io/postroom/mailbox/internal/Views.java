package io.postroom.mailbox.internal;

import io.postroom.api.UserId;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import io.postroom.persistence.MailboxRecord;
import java.util.Optional;

/** A stored mailbox as an actor sees it: no password, the name filled in, their default marked. */
final class Views {
    private final TenantDirectory directory;

    Views(TenantDirectory directory) {
        this.directory = directory;
    }

    Mailbox view(MailboxRecord m, UserId viewer, Optional<Long> viewersDefault) {
        Optional<User> owner = directory.user(m.tenant(), m.owner());
        String name = NameTemplate.render(m.settings().nameTemplate(), owner.map(User::firstName).orElse(""),
                owner.map(User::lastName).orElse(""), m.address().value());
        return new Mailbox(MailboxId.of(m.id()), m.tenant(), m.owner(), m.address(), name,
                new ConnectionSettings(m.preset(), m.address(), m.username(), m.imap(), m.smtp()),
                m.settings(), m.state(), m.inactiveReason(), m.verified(), m.consecutiveFailures(), m.lastFailure(),
                viewer != null && viewersDefault.isPresent() && viewersDefault.get() == m.id(),
                MailboxStats.EMPTY, m.createdAt(), m.updatedAt());
    }
}
