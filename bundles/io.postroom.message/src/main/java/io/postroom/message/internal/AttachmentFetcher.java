package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.message.MessageId;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.message.internal.ImapSession.Chunk;
import io.postroom.mime.TransferEncoding;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.MessageLocation;
import io.postroom.protocol.ImapConnection;
import io.postroom.protocol.MailConnector;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one attachment from the mail server: logs in, finds the message (at a stored location
 * whose UIDVALIDITY still holds, else by its Message-ID in the mailbox's folders) and hands out
 * the part as a stream that fetches it in partial ranges and removes the transfer encoding on the
 * way. Reads only: EXAMINE and {@code BODY.PEEK}.
 */
final class AttachmentFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentFetcher.class);
    private static final Set<TransferEncoding> IDENTITY = Set.of(TransferEncoding.SEVEN_BIT, TransferEncoding.EIGHT_BIT,
            TransferEncoding.BINARY, TransferEncoding.UNKNOWN);

    private final MailConnector connector;
    private final int rangeSize;
    private final LongSupplier ticker;

    /** @param ticker nanoseconds as {@link System#nanoTime()} counts them: when the streams handed out were last read */
    AttachmentFetcher(MailConnector connector, int rangeSize, LongSupplier ticker) {
        this.connector = connector;
        this.rangeSize = rangeSize;
        this.ticker = ticker;
    }

    /** Where the message is on the server now, with the first range of the part. */
    private record Located(String folder, long uid, Chunk first) {
    }

    /**
     * @param messageIdHeader the message's Message-ID (without angle brackets), null when it has none
     * @param locations       where the sync last saw it
     * @throws io.postroom.api.ConnectionFailedException when the server cannot be reached, refuses the login or fails
     * @throws PostroomException MESSAGE_GONE_FROM_SERVER when no folder has the message any more
     */
    StreamedAttachment open(MailboxConnection mailbox, MessageId id, String messageIdHeader, List<MessageLocation> locations,
                           AttachmentRecord attachment, Runnable onClose) {
        ImapConnection connection = connector.openImap(mailbox.imap(), mailbox.credentials());
        ImapSession session = new ImapSession(connection, mailbox.imap());
        try {
            Located at = locate(session, mailbox, messageIdHeader, locations, attachment.part());
            if (at == null) {
                throw gone(id);
            }
            TransferEncoding encoding = TransferEncoding.of(attachment.transferEncoding());
            PartStream raw = new PartStream(session, at.uid(), attachment.part(), rangeSize, at.first(), () -> gone(id));
            InputStream decoded = encoding.decode(raw);
            OptionalLong length = OptionalLong.empty();
            if (IDENTITY.contains(encoding)) {
                // a part that fits into the first range has its true length; a larger one the size its body structure gave
                length = OptionalLong.of(at.first().last() ? at.first().length() : attachment.size());
            }
            return new StreamedAttachment(attachment.info(), decoded, length, session, onClose, ticker);
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    private Located locate(ImapSession session, MailboxConnection mailbox, String messageIdHeader,
                           List<MessageLocation> locations, String part) {
        // where the sync saw it, while the folder's UIDVALIDITY is the same
        for (MessageLocation l : locations) {
            long uidValidity = session.examine(l.folder());
            if (uidValidity > 0 && uidValidity == l.uidValidity()) {
                Chunk first = session.fetchPart(l.uid(), part, 0, rangeSize);
                if (first != null) {
                    return new Located(l.folder(), l.uid(), first);
                }
            }
        }
        String wanted = bare(messageIdHeader);
        if (wanted.isEmpty()) {
            return null; // nothing to search for
        }
        // moved (new UIDVALIDITY, another folder): by Message-ID, the folders it was in first, then the synced ones, then the rest
        Set<String> tried = new LinkedHashSet<>();
        List<String> first = new ArrayList<>();
        locations.forEach(l -> first.add(l.folder()));
        first.addAll(mailbox.settings().folders());
        for (String folder : first) {
            Located found = search(session, folder, wanted, part, tried);
            if (found != null) {
                return found;
            }
        }
        for (RemoteFolder folder : session.folders()) {
            if (folder.selectable()) {
                Located found = search(session, folder.name(), wanted, part, tried);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Located search(ImapSession session, String folder, String wanted, String part, Set<String> tried) {
        String key = folder.equalsIgnoreCase("INBOX") ? "INBOX" : folder;
        if (!tried.add(key)) {
            return null;
        }
        if (session.examine(folder) < 0) {
            return null;
        }
        for (long uid : session.searchMessageId(wanted)) {
            // SEARCH matches substrings, case-insensitively: check the header itself
            if (!sameMessageId(wanted, session.messageIdHeader(uid))) {
                continue;
            }
            Chunk first = session.fetchPart(uid, part, 0, rangeSize);
            if (first != null) {
                LOG.debug("Found message <{}> again in {} at UID {} by its Message-ID", wanted, folder, uid);
                return new Located(folder, uid, first);
            }
        }
        return null;
    }

    /** Whether a Message-ID header names the wanted id (white space and case aside, as SEARCH compares). */
    static boolean sameMessageId(String wanted, String header) {
        String found = bare(header);
        return !found.isEmpty() && found.replaceAll("\\s+", "").equalsIgnoreCase(wanted.replaceAll("\\s+", ""));
    }

    /** A Message-ID without surrounding white space and angle brackets; empty for null. */
    static String bare(String messageId) {
        if (messageId == null) {
            return "";
        }
        String s = messageId.strip();
        int open = s.indexOf('<');
        int close = s.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            s = s.substring(open + 1, close);
        }
        return s.strip();
    }

    static PostroomException gone(MessageId id) {
        return new PostroomException(ErrorCode.MESSAGE_GONE_FROM_SERVER, "Message " + id + " is no longer on the mail server"
                + " (it was deleted there, or moved where it cannot be found), so its attachments cannot be opened."
                + " Its text stays in the CRM.", Map.of("message", id.value()));
    }
}
