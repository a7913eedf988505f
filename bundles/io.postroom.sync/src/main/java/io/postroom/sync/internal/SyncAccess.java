package io.postroom.sync.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import java.util.Optional;

/**
 * Who may see and drive a mailbox's sync: its owner, the users it is shared with, and tenant
 * admins ({@link MailboxAccess}). Anyone else is told the mailbox does not exist.
 */
final class SyncAccess {
    private final MailboxAccess access;
    private final MailboxStore mailboxes;

    SyncAccess(TenantDirectory directory, MailboxStore mailboxes) {
        this.access = new MailboxAccess(directory);
        this.mailboxes = mailboxes;
    }

    MailboxRecord visible(Actor actor, MailboxId id) {
        MailboxAccess.Acting acting = access.resolve(actor);
        if (id == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "mailbox", "Name the mailbox.");
        }
        Optional<MailboxRecord> found;
        try {
            found = mailboxes.find(id.value());
        } catch (StoreException e) {
            throw SyncServiceImpl.unavailable(e);
        }
        return found.filter(m -> MailboxAccess.sees(acting, m)).orElseThrow(() -> MailboxAccess.notFound(id));
    }

    void requireAdmin(Actor actor, String what) {
        if (!access.resolve(actor).isAdmin()) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED, "Only a tenant administrator " + what + ".");
        }
    }
}
