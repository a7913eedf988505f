package io.postroom.mailbox.internal;

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
 * Who may do what with a mailbox. The actor's roles come from the host's directory, never from
 * the caller. A mailbox the actor may not see is reported as not found, so its existence does
 * not leak.
 */
final class Access {
    private final TenantDirectory directory;
    private final MailboxStore store;

    Access(TenantDirectory directory, MailboxStore store) {
        this.directory = directory;
        this.store = store;
    }

    /** The actor as the host knows them. */
    record Acting(Actor actor, User user) {
        boolean isAdmin() {
            return user.isAdmin();
        }
    }

    Acting resolve(Actor actor) {
        if (actor == null) {
            throw new PostroomException(ErrorCode.UNAUTHENTICATED, "Sign in first: every call names who acts.");
        }
        if (directory.tenant(actor.tenant()).isEmpty()) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED, "The tenant of " + actor + " is not known to the host.");
        }
        Optional<User> user = directory.user(actor.tenant(), actor.user());
        if (user.isEmpty()) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED, "The user " + actor + " is not known to the host.");
        }
        return new Acting(actor, user.get());
    }

    /** The mailbox if the actor may see it: its owner, a user it is shared with, or a tenant admin. */
    MailboxRecord visible(Acting a, MailboxId id) {
        Optional<MailboxRecord> found;
        try {
            found = store.find(id.value());
        } catch (StoreException e) {
            throw Errors.store(e);
        }
        return found.filter(m -> canSee(a, m)).orElseThrow(() -> notFound(id));
    }

    static boolean canSee(Acting a, MailboxRecord m) {
        return m.tenant().equals(a.actor().tenant()) && (m.hasMember(a.actor().user()) || a.isAdmin());
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

    static PostroomException notFound(MailboxId id) {
        return new PostroomException(ErrorCode.MAILBOX_NOT_FOUND, "There is no mailbox " + id + " you can see.",
                Map.of("mailbox", id.value()));
    }
}
