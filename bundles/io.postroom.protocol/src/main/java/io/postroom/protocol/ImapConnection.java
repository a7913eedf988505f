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

    @Override
    void close();
}
