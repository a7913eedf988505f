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

    @Override
    void close();
}
