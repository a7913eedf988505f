package io.postroom.mailbox.internal;

import static io.postroom.testing.host.TestHost.ALICE;
import static io.postroom.testing.host.TestHost.FRED;
import static io.postroom.testing.host.TestHost.PAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.mailbox.FailureRecord;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.mailbox.SyncTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The system calls the sync and send engines use. */
class MailboxConnectionsTest extends ServiceFixture {
    private static final ConnectionFailure TIMEOUT = new ConnectionFailure(ConnectionFailure.Protocol.IMAP,
            ConnectionFailure.Step.FETCH, ConnectionFailure.Kind.TIMEOUT, "imap.example.com", 993, "read timed out");

    @Test
    void activeMailboxesCarryTheOwnersPlanIntervalAndSettings() {
        Mailbox alices = create(ALICE, newAccount("alice"));
        Mailbox freds = create(FRED, newAccount("fred"));
        Mailbox pats = create(PAT, newAccount("pat"));
        Mailbox off = create(PAT, newAccount("off"));
        service.deactivate(actor(PAT), off.id(), "paused");

        List<SyncTarget> targets = connections.activeMailboxes().stream()
                .filter(t -> t.tenant().equals(tenant)).toList();

        assertThat(targets).extracting(SyncTarget::id).containsExactly(alices.id(), freds.id(), pats.id());
        assertThat(targets).extracting(SyncTarget::syncInterval)
                .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(60), Duration.ofMinutes(5));
        assertThat(targets.get(0).settings().folders()).containsExactly("INBOX");
        assertThat(targets.get(0).owner()).isEqualTo(ALICE);
    }

    @Test
    void connectionHasTheDecryptedCredentialsAndNeverPrintsThem() {
        Account a = newAccount("conn");
        Mailbox m = create(ALICE, a);

        MailboxConnection c = connections.connection(m.id());

        assertThat(c.credentials().username()).isEqualTo(a.address());
        assertThat(c.credentials().password().reveal()).isEqualTo(a.password());
        assertThat(c.imap().port()).isEqualTo(imapPort());
        assertThat(c.senderName()).isEqualTo("Alice Example");
        assertThat(c.toString()).doesNotContain(a.password());
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> connections.connection(MailboxId.of(Long.MAX_VALUE)));
    }

    @Test
    void tenFailuresInARowDeactivateWithTheReasonAndAnEventWithoutUser() {
        Mailbox m = create(ALICE, newAccount("failing"));
        eventAdmin.clear();
        for (int i = 1; i <= 9; i++) {
            FailureRecord r = connections.recordFailure(m.id(), TIMEOUT);
            assertThat(r).isEqualTo(new FailureRecord(i, false));
        }
        assertThat(service.get(actor(ALICE), m.id()).lastFailure()).isEqualTo(TIMEOUT.describe());

        FailureRecord tenth = connections.recordFailure(m.id(), TIMEOUT);

        assertThat(tenth).isEqualTo(new FailureRecord(10, true));
        Mailbox after = service.get(actor(ALICE), m.id());
        assertThat(after.state()).isEqualTo(MailboxState.INACTIVE);
        assertThat(after.inactiveReason()).isEqualTo(TIMEOUT.describe());
        assertThat(eventAdmin.topics()).containsExactly(MailboxEvents.DEACTIVATED);
        assertThat(eventAdmin.last().containsProperty(MailboxEvents.USER)).isFalse();
        assertThat(eventAdmin.last().getProperty(MailboxEvents.REASON)).isEqualTo(TIMEOUT.describe());
        assertThat(connections.recordFailure(m.id(), TIMEOUT)).isEqualTo(new FailureRecord(11, false));
        assertThat(eventAdmin.events()).hasSize(1);
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        Mailbox m = create(ALICE, newAccount("recovering"));
        for (int i = 0; i < 9; i++) {
            connections.recordFailure(m.id(), TIMEOUT);
        }
        connections.recordSuccess(m.id());
        assertThat(service.get(actor(ALICE), m.id()).consecutiveFailures()).isZero();
        assertThat(connections.recordFailure(m.id(), TIMEOUT)).isEqualTo(new FailureRecord(1, false));
        assertThat(service.get(actor(ALICE), m.id()).active()).isTrue();
    }

    @Test
    void deletedMailboxesAreNotFound() {
        Mailbox m = create(ALICE, newAccount("gone"));
        service.delete(actor(ALICE), m.id());
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> connections.recordFailure(m.id(), TIMEOUT));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> connections.recordSuccess(m.id()));
    }
}
