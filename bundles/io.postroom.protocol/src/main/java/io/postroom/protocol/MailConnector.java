package io.postroom.protocol;

import io.postroom.api.mailbox.Endpoint;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens connections to mail servers. Every connection checks the outbound policy first (before
 * any packet is sent), uses the configured timeouts, verifies TLS certificates and host names
 * unless the administrator trusts the host explicitly, and swaps the thread context class loader
 * as Jakarta Mail needs in OSGi.
 */
@ProviderType
public interface MailConnector {

    /**
     * Connects and logs in to an IMAP server.
     *
     * @throws io.postroom.api.ConnectionFailedException saying which step failed and why
     */
    ImapConnection openImap(Endpoint endpoint, Credentials credentials);

    /**
     * Connects and logs in to an SMTP server. The whole session, from here to the connection's close,
     * must be done within the configured command timeout ({@link ConnectorConfig#commandTimeout()}).
     *
     * @throws io.postroom.api.ConnectionFailedException saying which step failed and why
     */
    SmtpConnection openSmtp(Endpoint endpoint, Credentials credentials);

    /**
     * Checks an endpoint against the outbound policy without connecting: host and port allowed,
     * and plain text ({@code Security.NONE}) only where the policy allows it. The host name is
     * resolved (DNS only, no connection) and every address it resolves to must be allowed; the
     * connection itself checks the address it actually uses again.
     *
     * @throws io.postroom.api.ConnectionFailedException with kind NOT_ALLOWED, or UNKNOWN_HOST when the
     *         name does not resolve
     * @throws io.postroom.api.PostroomException with INVALID_HOST / INVALID_PORT for a blank host or a port
     *         outside 1..65535
     */
    void checkAllowed(Endpoint endpoint, io.postroom.api.ConnectionFailure.Protocol protocol);
}
