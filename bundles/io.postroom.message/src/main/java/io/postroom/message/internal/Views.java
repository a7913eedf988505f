package io.postroom.message.internal;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import io.postroom.api.message.MessageSummary;
import io.postroom.message.internal.Access.Sight;
import io.postroom.persistence.AddressKind;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageRecord;
import java.util.List;

/** Stored messages as the API shows them to an actor: everything, or with the content hidden. */
final class Views {

    private Views() {
    }

    static MessageSummary summary(MessageRecord r, Sight sight) {
        boolean hidden = sight != Sight.FULL;
        return new MessageSummary(MessageId.of(r.id()), MailboxId.of(r.mailboxId()), r.threadId(), r.direction(), r.from(),
                r.to(), hidden ? null : r.subject(), hidden ? null : r.preview(), r.date(), r.size(), r.flags(),
                r.hasAttachments(), r.folders(), r.deletedOnServer(), hidden);
    }

    /** The message; hidden: no subject, preview, Bcc, text, HTML or attachments. */
    static Message message(MessageDetail d, Sight sight) {
        boolean hidden = sight != Sight.FULL;
        return new Message(summary(d.summary(), sight), d.addresses(AddressKind.CC),
                hidden ? List.of() : d.addresses(AddressKind.BCC), d.addresses(AddressKind.REPLY_TO),
                d.summary().messageIdHeader(), d.inReplyTo(), d.references(), d.autoSubmitted(), d.listId(),
                hidden ? "" : d.text(), hidden ? null : d.html(),
                hidden ? List.of() : d.attachments().stream().map(AttachmentRecord::info).toList(), d.summary().problems());
    }
}
