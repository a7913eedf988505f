package io.postroom.mailbox.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.mailbox.MailboxAccess.Acting;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import java.util.Map;
import java.util.Optional;

/**
 * Who may do what with a mailbox: who acts and who sees a mailbox by {@link MailboxAccess} (shared
 * with the bundles that show a mailbox's contents), who owns it and who may send from it here.
 */
final class Access {
    private final MailboxAccess actors;
    private final MailboxStore store;

    Access(TenantDirectory directory, MailboxStore store) {
        this.actors = new MailboxAccess(directory);
        this.store = store;
    }

    Acting resolve(Actor actor) {
        return actors.resolve(actor);
    }

    /** The mailbox if the actor may see it: its owner, a user it is shared with, or a tenant admin. */
    MailboxRecord visible(Acting a, MailboxId id) {
        Optional<MailboxRecord> found;
        try {
            found = store.find(id.value());
        } catch (StoreException e) {
            throw Errors.store(e);
        }
        return found.filter(m -> MailboxAccess.sees(a, m)).orElseThrow(() -> MailboxAccess.notFound(id));
    }

    static boolean isOwner(Acting a, MailboxRecord m) {
        return m.tenant().equals(a.actor().tenant()) && m.owner().equals(a.actor().user());
    }

    /** The owner always; a user it is shared with if the allowed senders are unrestricted or name them. */
    static boolean maySend(Acting a, MailboxRecord m) {
        if (isOwner(a, m)) {
            return true;
        }
        return m.tenant().equals(a.actor().tenant()) && m.settings().sharedWith().contains(a.actor().user())
                && (m.settings().allowedSenders().isEmpty() || m.settings().allowedSenders().contains(a.actor().user()));
    }

    static void requireOwner(Acting a, MailboxRecord m, String what) {
        if (!isOwner(a, m)) {
            throw new PostroomException(ErrorCode.NOT_OWNER,
                    "Only the mailbox's owner " + what + "; ask " + m.owner() + ".", Map.of("owner", m.owner().value()));
        }
    }

    static void requireOwnerOrAdmin(Acting a, MailboxRecord m, String what) {
        if (!isOwner(a, m) && !a.isAdmin()) {
            throw new PostroomException(ErrorCode.NOT_OWNER,
                    "Only the mailbox's owner or a tenant administrator " + what + ".", Map.of("owner", m.owner().value()));
        }
    }
}
