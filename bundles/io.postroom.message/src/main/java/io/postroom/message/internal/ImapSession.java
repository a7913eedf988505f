package io.postroom.message.internal;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.protocol.FailureClassifier;
import io.postroom.protocol.ImapConnection;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * One read-only IMAP conversation for opening an attachment, raw over Angus's protocol object of
 * the store connection (as the sync talks): EXAMINE (read-only select), {@code UID SEARCH} and
 * {@code UID FETCH} with {@code BODY.PEEK} in partial ranges. Never SELECT, STORE, EXPUNGE or
 * APPEND: nothing on the server changes, {@code \Seen} included. Angus's folder machinery (message
 * cache, whole-body fetches) is not used.
 *
 * <p>Failures become {@link ConnectionFailedException}s as the protocol bundle classifies them.
 * Once the connection is lost the session refuses every further command (Angus would otherwise
 * log in again silently, on a connection without the selected folder).
 *
 * <p>Used by one thread at a time, except {@link #abort()} and {@link #logoutNow()}: another thread
 * may end the session with them (an idle download closed, the service stopping).
 */
final class ImapSession implements AutoCloseable {
    private final ImapConnection connection;
    private final Endpoint endpoint;
    private final IMAPFolder root;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean broken;
    private volatile IMAPProtocol protocol; // the store connection the last command went over, for logoutNow
    private String selected;

    ImapSession(ImapConnection connection, Endpoint endpoint) {
        this.connection = connection;
        this.endpoint = endpoint;
        try {
            this.root = (IMAPFolder) ((IMAPStore) connection.store()).getDefaultFolder();
        } catch (MessagingException | RuntimeException e) {
            connection.close();
            throw FailureClassifier.toException(Protocol.IMAP, Step.OPEN_FOLDER, endpoint.host(), endpoint.port(), e);
        }
    }

    /** A piece of one part: its bytes (a view into Angus's response buffer) and whether it was the last. */
    record Chunk(byte[] bytes, int start, int length, boolean last) {
    }

    /** All folders, for finding a message again. */
    List<RemoteFolder> folders() {
        return connection.listFolders();
    }

    /**
     * EXAMINEs a folder (read-only); its UIDVALIDITY, or -1 when the server refuses it (the folder
     * is gone or cannot be selected).
     */
    long examine(String folder) {
        return call(Step.OPEN_FOLDER, p -> {
            try {
                MailboxInfo info = p.examine(folder, null);
                selected = folder;
                return info.uidvalidity;
            } catch (CommandFailedException e) {
                selected = null;
                return -1L;
            }
        });
    }

    String selected() {
        return selected;
    }

    /** UIDs of the selected folder's messages whose Message-ID header contains the text (IMAP SEARCH is case-insensitive). */
    List<Long> searchMessageId(String text) {
        String quoted = quoted(text);
        if (quoted == null) {
            return List.of();
        }
        return call(Step.FETCH, p -> {
            Response[] r = command(p, "UID SEARCH HEADER Message-ID " + quoted);
            List<Long> uids = new ArrayList<>();
            for (Response response : r) {
                if (response instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("SEARCH")) {
                    long uid;
                    while ((uid = ir.readLong()) != -1) {
                        uids.add(uid);
                    }
                }
            }
            uids.sort(null);
            return uids;
        });
    }

    /** The Message-ID header of a message of the selected folder (unfolded, as it is), null when it has none or is gone. */
    String messageIdHeader(long uid) {
        Chunk c = fetchSection(uid, "HEADER.FIELDS (MESSAGE-ID)", null);
        if (c == null) {
            return null;
        }
        String block = new String(c.bytes(), c.start(), c.length(), StandardCharsets.ISO_8859_1)
                .replaceAll("\r?\n[ \t]+", " ");
        for (String line : block.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Message-ID")) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /**
     * {@code UID FETCH uid (BODY.PEEK[part]<offset.length>)} in the selected folder: the bytes the
     * server sent, or null when the folder has no message with this UID (any more).
     */
    Chunk fetchPart(long uid, String part, long offset, int length) {
        return fetchSection(uid, part, new long[] {offset, length});
    }

    private Chunk fetchSection(long uid, String section, long[] range) {
        String item = "BODY.PEEK[" + section + "]" + (range == null ? "" : "<" + range[0] + "." + range[1] + ">");
        return call(Step.FETCH, p -> {
            Response[] r = command(p, "UID FETCH " + uid + " (" + item + ")");
            for (Response response : r) {
                if (!(response instanceof FetchResponse f)) {
                    continue;
                }
                UID u = f.getItem(UID.class);
                BODY body = f.getItem(BODY.class);
                if (u == null || u.uid != uid || body == null) {
                    continue; // an unsolicited FETCH (flags of another message, say)
                }
                ByteArray data = body.getByteArray();
                if (data == null) {
                    return new Chunk(new byte[0], 0, 0, true); // NIL: nothing there
                }
                boolean last = range == null || data.getCount() < range[1];
                return new Chunk(data.getBytes(), data.getStart(), data.getCount(), last);
            }
            return null;
        });
    }

    /** Sends a command and checks its tagged result. */
    private static Response[] command(IMAPProtocol p, String command) throws ProtocolException {
        Response[] r = p.command(command, null);
        p.handleResult(r[r.length - 1]);
        return r;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(IMAPProtocol p) throws ProtocolException;
    }

    /** Runs protocol work on the store connection; every failure classified for the user. */
    private <T> T call(Step step, Work<T> work) {
        if (closed.get()) {
            throw failure(step, Kind.NETWORK, "the connection was closed", null);
        }
        if (broken) {
            throw failure(step, Kind.NETWORK, "the connection broke earlier", null);
        }
        Object[] result = new Object[1];
        try {
            root.doCommand(p -> {
                protocol = p;
                try {
                    result[0] = work.run(p);
                } catch (ProtocolException e) {
                    result[0] = e;
                } catch (RuntimeException e) {
                    result[0] = e;
                }
                return null;
            });
        } catch (MessagingException | RuntimeException e) {
            broken = true;
            throw FailureClassifier.toException(Protocol.IMAP, step, endpoint.host(), endpoint.port(), e);
        }
        if (result[0] instanceof ProtocolException e) {
            Response r = e.getResponse();
            if (r != null && r.getException() != null && e.getCause() == null) {
                // Angus keeps the socket error (a timeout, a reset) in its synthetic BYE: chain it for classification
                e.initCause(r.getException());
            }
            if (e instanceof ConnectionException || (r != null && r.isBYE())) {
                broken = true;
            }
            throw FailureClassifier.toException(Protocol.IMAP, step, endpoint.host(), endpoint.port(), e);
        }
        if (result[0] instanceof RuntimeException e) {
            broken = true;
            throw FailureClassifier.toException(Protocol.IMAP, step, endpoint.host(), endpoint.port(), e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private ConnectionFailedException failure(Step step, Kind kind, String detail, Throwable cause) {
        return new ConnectionFailedException(new ConnectionFailure(Protocol.IMAP, step, kind, endpoint.host(), endpoint.port(),
                detail), cause);
    }

    /** An IMAP quoted string, or null when the text cannot be one (control or non-ASCII characters). */
    static String quoted(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Logs out (a no-op when already closed). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.close();
        }
    }

    /**
     * Logs out without waiting for the server, from any thread while no command is in progress:
     * writes LOGOUT (when the connection is still good), then breaks the connection off and closes
     * it. A silent server cannot hold the caller up, and no new connection is ever opened for it
     * (the LOGOUT goes over the connection the session used, not through Angus's pool). A no-op
     * when already closed.
     */
    void logoutNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IMAPProtocol p = protocol;
        if (p != null && !broken) {
            try {
                synchronized (p) { // Angus's lock for a command; free, since no command is in progress
                    p.writeCommand("LOGOUT", null); // the answer is not waited for
                }
            } catch (IOException | ProtocolException | RuntimeException e) {
                // best effort: the connection is broken off below either way
            }
        }
        connection.abort();
        connection.close(); // quick on a connection broken off: nothing is waited for
    }

    /**
     * Breaks the connection off now, from any thread: a command in progress fails at once as a
     * dropped connection ({@link ImapConnection#abort()}). {@link #close()} still releases it.
     */
    void abort() {
        broken = true;
        connection.abort();
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "IMAP session to " + endpoint + (selected == null ? "" : " in " + selected);
    }
}
