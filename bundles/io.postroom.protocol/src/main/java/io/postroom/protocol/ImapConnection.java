package io.postroom.protocol;

import io.postroom.api.mailbox.RemoteFolder;
import jakarta.mail.Store;
import java.util.List;
import java.util.Set;

/**
 * A logged-in IMAP connection. Folders opened through {@link #store()} never set {@code \Seen}
 * (peek is on) and fetch bodies without partial fetches. Close it when done.
 */
public interface ImapConnection extends AutoCloseable {

    /** The underlying Angus {@code IMAPStore}, for sync code that needs the full protocol. */
    Store store();

    /** Capabilities announced after login (upper case): CONDSTORE, QRESYNC, SPECIAL-USE, ... */
    Set<String> capabilities();

    boolean hasCapability(String capability);

    /** All folders, INBOX first, with SPECIAL-USE attributes. */
    List<RemoteFolder> listFolders();

    /**
     * Breaks the connection off now, from any thread, without waiting for a command another thread
     * is in: that command fails at once as a dropped connection. {@link #close()} would wait for it
     * (Angus's store and protocol locks are held while a command waits for the server). The
     * connection is of no use afterwards; {@link #close()} still releases it.
     *
     * @since 1.2
     */
    default void abort() {
        close();
    }

    /**
     * How much one command's answer may hold, in bytes: the untagged responses read after the
     * command was sent until its tagged result (for pipelined commands, from one tagged result to
     * the next), each counted as the buffer it was read into (its bytes, as Angus's buffer grew to
     * hold them: at least 128, up to about twice the bytes of a response whose line continues past a
     * literal) plus 512 bytes for the parsed response. An answer holding more fails its command as a
     * protocol failure and closes the connection. It is four times the largest single response
     * ({@code maxResponseMegabytes} of {@code io.postroom.protocol}): 256 MiB by default. Responses
     * taken as they arrive ({@link StreamedResponses}) are not counted.
     *
     * <p>Code that decides how much to ask for in one command (the sync's text batches, say) keeps
     * its answer well inside this.
     *
     * @return the bound, or {@link Long#MAX_VALUE} for a connection that does not bound answers
     * @since 1.4
     */
    default long answerLimitBytes() {
        return Long.MAX_VALUE;
    }

    /**
     * How much one IMAP response may hold, in bytes ({@code maxResponseMegabytes} of
     * {@code io.postroom.protocol}, 64 MiB by default): counted as the buffer Angus reads it into,
     * which grows by the size of each literal (and 16 bytes) and, while a line goes on past a literal
     * or has no end yet, by its own size at most 256 KiB at a time. A larger response fails its
     * command as a protocol failure and closes the connection. One {@code FETCH} response holds all
     * the items a command asks of one message, so code that decides how much to ask of one message
     * (the text parts of a message, say) keeps that response inside this; a {@code SEARCH} answer
     * is one response too.
     *
     * @return the bound, or {@link Long#MAX_VALUE} for a connection that does not bound responses
     * @since 1.5
     */
    default long responseLimitBytes() {
        return Long.MAX_VALUE;
    }

    @Override
    void close();
}
