package io.postroom.api.mailbox;

import java.util.List;
import java.util.Set;

/**
 * Both logins succeeded: the resolved connection and the server's folders to choose from.
 *
 * @param connection       the settings that worked (without password)
 * @param folders          selectable and container folders, INBOX first
 * @param imapCapabilities what the IMAP server announced after login (CONDSTORE, QRESYNC, ...)
 */
public record ProbeResult(ConnectionSettings connection, List<RemoteFolder> folders, Set<String> imapCapabilities) {
    public ProbeResult {
        folders = List.copyOf(folders);
        imapCapabilities = Set.copyOf(imapCapabilities);
    }
}
