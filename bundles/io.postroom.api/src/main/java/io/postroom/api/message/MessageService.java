package io.postroom.api.message;

import io.postroom.api.Actor;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages in the CRM. An actor sees a mailbox's messages when the mailbox's visibility allows it
 * (owner only: the owner and the users it is shared with; owner and managers: also the tenant's
 * managers; everyone: all users of the tenant). For a private mailbox, only the owner sees
 * subjects, text and attachments; others see that messages exist.
 */
@ProviderType
public interface MessageService {

    MessagePage list(Actor actor, MessageQuery query);

    Message get(Actor actor, MessageId id);

    /** The message's conversation, oldest first. */
    List<MessageSummary> thread(Actor actor, MessageId id);

    /**
     * Streams one attachment from the mail server (found again by Message-ID when its UID moved).
     *
     * @param index from {@link AttachmentInfo#index()}
     * @throws io.postroom.api.PostroomException MESSAGE_GONE_FROM_SERVER when the server no longer has the message
     */
    AttachmentContent openAttachment(Actor actor, MessageId id, int index);
}
