package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.message.MessageId;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.mailbox.MailboxAccess.Acting;
import io.postroom.persistence.MailboxRecord;
import java.util.Map;

/**
 * Who sees which messages. A mailbox's messages are visible to its owner and the users it is
 * shared with; with visibility "owner and managers" also to the tenant's managers (tenant admins
 * count as managers); with "everyone" to every user of the tenant. In a private mailbox only the
 * owner sees the content (subject, preview, text, HTML, attachments). Who acts, with their roles
 * from the host's directory, and who sees a mailbox itself are the mailbox service's rules
 * ({@link MailboxAccess}). A message the actor may not see is reported as not found, so that its
 * existence does not leak.
 */
final class Access {

    /** How much of a mailbox's messages an actor sees. */
    enum Sight {
        /** Nothing: the messages do not exist for this actor. */
        NONE,
        /** That messages exist, with their addresses and dates, but no subject, text or attachments. */
        HIDDEN,
        /** Everything. */
        FULL;

        boolean visible() {
            return this != NONE;
        }
    }

    private Access() {
    }

    static Sight sight(Acting a, MailboxRecord m) {
        if (!m.tenant().equals(a.actor().tenant())) {
            return Sight.NONE;
        }
        MessageVisibility visibility = m.settings().visibility();
        boolean allowed = m.hasMember(a.actor().user())
                || visibility == MessageVisibility.EVERYONE
                || visibility == MessageVisibility.OWNER_AND_MANAGERS && a.user().isManager();
        if (!allowed) {
            return Sight.NONE;
        }
        return m.settings().privateMessages() && !m.owner().equals(a.actor().user()) ? Sight.HIDDEN : Sight.FULL;
    }

    static PostroomException messageNotFound(MessageId id) {
        return new PostroomException(ErrorCode.MESSAGE_NOT_FOUND, "There is no message " + id + " you can see.",
                Map.of("message", id.value()));
    }

    static PostroomException messagesNotVisible(MailboxRecord m) {
        String who = switch (m.settings().visibility()) {
            case OWNER_ONLY -> "its owner and the users it is shared with";
            case OWNER_AND_MANAGERS -> "its owner, the users it is shared with and the managers";
            case EVERYONE -> "everyone in the organisation";
        };
        return new PostroomException(ErrorCode.ACCESS_DENIED, "The messages of mailbox " + m.id() + " are visible to " + who
                + "; its owner " + m.owner() + " decides who sees them.", Map.of("mailbox", m.id()));
    }

    static PostroomException contentHidden(MessageId id) {
        return new PostroomException(ErrorCode.ACCESS_DENIED, "The messages of this mailbox are private to its owner:"
                + " the attachments of message " + id + " cannot be opened by anyone else.", Map.of("message", id.value()));
    }
}
