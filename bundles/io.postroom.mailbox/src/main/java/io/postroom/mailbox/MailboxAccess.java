package io.postroom.mailbox;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import io.postroom.persistence.MailboxRecord;
import java.util.Map;
import java.util.Optional;

/**
 * Who acts, and which mailboxes they see: the mailbox service's rules, for the bundles that act on
 * a person's behalf on what belongs to a mailbox (its messages). The actor's roles come from the
 * host's directory, never from the caller. A mailbox the actor may not see is reported as not
 * found, so that its existence does not leak.
 */
public final class MailboxAccess {
    private final TenantDirectory directory;

    public MailboxAccess(TenantDirectory directory) {
        this.directory = directory;
    }

    /** The actor as the host knows them. */
    public record Acting(Actor actor, User user) {
        public boolean isAdmin() {
            return user.isAdmin();
        }
    }

    /**
     * The actor as the host knows them.
     *
     * @throws PostroomException UNAUTHENTICATED without an actor; ACCESS_DENIED when the host does
     *                           not know the actor's tenant or user
     */
    public Acting resolve(Actor actor) {
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

    /** Whether the actor sees the mailbox: its owner, a user it is shared with, or an admin of its tenant. */
    public static boolean sees(Acting a, MailboxRecord m) {
        return m.tenant().equals(a.actor().tenant()) && (m.hasMember(a.actor().user()) || a.isAdmin());
    }

    /** MAILBOX_NOT_FOUND, the same whether the mailbox does not exist or the actor may not see it. */
    public static PostroomException notFound(MailboxId id) {
        return new PostroomException(ErrorCode.MAILBOX_NOT_FOUND, "There is no mailbox " + id + " you can see.",
                Map.of("mailbox", id.value()));
    }
}
