package io.postroom.sync.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.message.Direction;
import io.postroom.mime.AttachmentInfo;
import io.postroom.mime.MailAddress;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.ParsedMessage;
import io.postroom.persistence.AddressKind;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.MessageAddress;
import io.postroom.persistence.MessageDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed message as the store keeps it: direction from the folder and the mailbox's address,
 * and the mailbox's keep setting applied.
 */
final class DraftBuilder {
    private final String mailboxAddress;
    private final KeepPolicy keep;

    DraftBuilder(EmailAddress mailboxAddress, KeepPolicy keep) {
        this.mailboxAddress = mailboxAddress == null ? "" : mailboxAddress.value().toLowerCase(Locale.ROOT);
        this.keep = keep == null ? KeepPolicy.BOTH : keep;
    }

    /** SENT when the folder is the Sent folder or the message is from the mailbox's own address. */
    Direction direction(ParsedMessage m, boolean sentFolder) {
        if (sentFolder) {
            return Direction.SENT;
        }
        for (MailAddress from : m.headers().from()) {
            if (from.address() != null && from.address().strip().toLowerCase(Locale.ROOT).equals(mailboxAddress)) {
                return Direction.SENT;
            }
        }
        return Direction.RECEIVED;
    }

    /** Whether the keep setting leaves out every message of the folder (the Sent folder, received mail kept only). */
    boolean keepsNothingIn(boolean sentFolder) {
        return sentFolder && !keep.keepsSent();
    }

    /** The draft, or empty when the keep setting leaves this message out. */
    Optional<MessageDraft> build(ParsedMessage m, Fetched f, boolean sentFolder) {
        Direction direction = direction(m, sentFolder);
        if (direction == Direction.SENT ? !keep.keepsSent() : !keep.keepsReceived()) {
            return Optional.empty();
        }
        MessageHeaders h = m.headers();
        List<MessageAddress> addresses = new ArrayList<>();
        add(addresses, AddressKind.FROM, h.from());
        if (h.sender() != null) {
            add(addresses, AddressKind.SENDER, List.of(h.sender()));
        }
        add(addresses, AddressKind.TO, h.to());
        add(addresses, AddressKind.CC, h.cc());
        add(addresses, AddressKind.BCC, h.bcc());
        add(addresses, AddressKind.REPLY_TO, h.replyTo());
        List<AttachmentRecord> attachments = new ArrayList<>();
        int index = 0;
        for (AttachmentInfo a : m.attachments()) {
            attachments.add(new AttachmentRecord(++index, a.partNumber(), a.displayName(), a.contentType(), a.size(),
                    a.inline(), a.contentId(), a.transferEncoding()));
        }
        Set<String> problems = new TreeSet<>();
        for (ParseProblem p : m.problems()) {
            problems.add(p.name());
        }
        problems.addAll(f.problems());
        String fingerprint = m.fingerprint() != null ? m.fingerprint() : f.fallbackFingerprint();
        Instant internal = f.internalDate();
        return Optional.of(new MessageDraft(f.uid(), f.flags(), f.modSeq(), h.messageId(), fingerprint, direction,
                h.subject(), m.normalisedSubject(), addresses, h.date(), internal, f.size(), h.autoSubmitted(), h.listId(),
                h.inReplyTo(), h.references(), m.text(), m.html(), attachments, problems));
    }

    private static void add(List<MessageAddress> target, AddressKind kind, List<MailAddress> found) {
        for (MailAddress a : found) {
            String name = a.name();
            String address = a.address();
            if (name == null && address == null) {
                name = a.raw();
            }
            target.add(new MessageAddress(kind, name, address));
        }
    }
}
