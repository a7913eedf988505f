package io.postroom.mailbox.internal;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.ImapConnection;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.SmtpConnection;
import java.util.List;
import java.util.Set;

/**
 * Logs in to IMAP (and lists the folders), then to SMTP. Both endpoints are checked against the
 * outbound policy before any connection; the first failure ends the probe with a
 * {@link io.postroom.api.ConnectionFailedException} that says which step failed and why.
 */
final class Prober {
    private final MailConnector connector;

    Prober(MailConnector connector) {
        this.connector = connector;
    }

    ProbeResult probe(ResolvedConnection c) {
        connector.checkAllowed(c.imap(), ConnectionFailure.Protocol.IMAP);
        connector.checkAllowed(c.smtp(), ConnectionFailure.Protocol.SMTP);
        Credentials credentials = c.credentials();
        List<RemoteFolder> folders;
        Set<String> capabilities;
        try (ImapConnection imap = connector.openImap(c.imap(), credentials)) {
            folders = imap.listFolders();
            capabilities = imap.capabilities();
        }
        SmtpConnection smtp = connector.openSmtp(c.smtp(), credentials);
        smtp.close(); // logging in was the test
        return new ProbeResult(c.settings(), folders, capabilities);
    }

    List<RemoteFolder> folders(ResolvedConnection c) {
        try (ImapConnection imap = connector.openImap(c.imap(), c.credentials())) {
            return imap.listFolders();
        }
    }
}
