package io.postroom.sync.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import java.util.Map;
import java.util.Optional;

/**
 * Who may see and drive a mailbox's sync: its owner, the users it is shared with, and tenant
 * admins. Anyone else is told the mailbox does not exist (its existence does not leak).
 */
final class SyncAccess {
    private final TenantDirectory directory;
    private final MailboxStore mailboxes;

    SyncAccess(TenantDirectory directory, MailboxStore mailboxes) {
        this.directory = directory;
        this.mailboxes = mailboxes;
    }

    User resolve(Actor actor) {
        if (actor == null) {
            throw new PostroomException(ErrorCode.UNAUTHENTICATED, "Sign in first: every call names who acts.");
        }
        if (directory.tenant(actor.tenant()).isEmpty()) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED, "The tenant of " + actor + " is not known to the host.");
        }
        return directory.user(actor.tenant(), actor.user()).orElseThrow(() ->
                new PostroomException(ErrorCode.ACCESS_DENIED, "The user " + actor + " is not known to the host."));
    }

    MailboxRecord visible(Actor actor, MailboxId id) {
        User user = resolve(actor);
        if (id == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "mailbox", "Name the mailbox.");
        }
        Optional<MailboxRecord> found;
        try {
            found = mailboxes.find(id.value());
        } catch (StoreException e) {
            throw SyncServiceImpl.unavailable(e);
        }
        return found.filter(m -> m.tenant().equals(actor.tenant()) && (m.hasMember(actor.user()) || user.isAdmin()))
                .orElseThrow(() -> new PostroomException(ErrorCode.MAILBOX_NOT_FOUND,
                        "There is no mailbox " + id + " you can see.", Map.of("mailbox", id.value())));
    }

    void requireAdmin(Actor actor, String what) {
        if (!resolve(actor).isAdmin()) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED, "Only a tenant administrator " + what + ".");
        }
    }
}
