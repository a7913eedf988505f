package io.postroom.api.mailbox;

import io.postroom.api.ConnectionFailure;
import java.time.Instant;
import java.util.List;

/**
 * Result of testing a saved mailbox's connection.
 *
 * @param ok          both logins succeeded
 * @param failure     why not (null when ok)
 * @param folders     the server's folders when ok
 * @param testedAt    when
 * @param mailbox     the mailbox after the test (failure counter, maybe deactivated)
 */
public record ConnectionTest(boolean ok, ConnectionFailure failure, List<RemoteFolder> folders, Instant testedAt, Mailbox mailbox) {
    public ConnectionTest {
        folders = folders == null ? List.of() : List.copyOf(folders);
    }
}
