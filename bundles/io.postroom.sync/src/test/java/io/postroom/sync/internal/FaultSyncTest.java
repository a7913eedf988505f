package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.LeaseLostException;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.ScheduleRecord;
import io.postroom.persistence.Stores;
import io.postroom.sync.RunReport;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotExtension;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.proxy.FaultProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults in the middle of a run, on PostgreSQL against a private Dovecot: a connection cut in the
 * middle of a FETCH, the server restarting, the password changing, a stalled server, the database
 * failing commits, a node dying. After each, the next run completes and the CRM holds exactly the
 * server's messages: none lost, none twice, nothing half-written.
 */
class FaultSyncTest extends DovecotFixture {
    static final int MESSAGES = 120;

    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.perClass();

    @Override
    Dovecot dovecot() {
        return DOVECOT.dovecot();
    }

    @Override
    DatabaseKind databaseKind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    Duration readTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    io.postroom.sync.SyncSettings settings() {
        return super.settings().withBatch(20, 1024 * 1024);
    }

    DovecotUser userWithMail(long seed) {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(seed, MESSAGES).messages());
        return u;
    }

    /** Calls {@code sync} until the lease held by another (dead) run has expired. */
    static RunReport retryWhileLeased(java.util.function.Supplier<RunReport> sync) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return sync.get();
            } catch (PostroomException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.SYNC_ALREADY_RUNNING);
                assertThat(System.nanoTime()).as("the lease expires").isLessThan(deadline);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ie);
                }
            }
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfAFetchResumes() {
        DovecotUser u = userWithMail(11);
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();
            proxy.cutOnceAfterServerBytes(150_000);

            RunReport cut = engine.syncNow(id);

            assertThat(cut.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(cut.failure().kind()).isEqualTo(Kind.NETWORK);
            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(messages(id)).isBetween(1L, MESSAGES - 1L);
            assertConsistent(id);
            assertThat(record(id).consecutiveFailures()).isEqualTo(1);
            ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
            assertThat(s.failures()).isEqualTo(1);
            assertThat(s.nextDue()).as("transient: back-off, not the plan's interval")
                    .isBefore(Instant.now().plus(Duration.ofMinutes(2)));

            RunReport resumed = engine.syncNow(id);

            assertThat(resumed.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(cut.messagesStored() + resumed.messagesStored()).isEqualTo(messages(id));
            assertMirrors(id, u, "INBOX");
            assertThat(record(id).consecutiveFailures()).isZero();
        }
    }

    /**
     * New mail is downloaded newest first and the high UID moves with the last batch only: a run cut
     * after its first batches leaves stored messages above the high UID. A flag changed on one of
     * them before the next run is picked up (QRESYNC's changes are kept up to the highest stored
     * UID, not the high UID).
     */
    @Test
    void aFlagChangedOnMailACutRunStoredAboveTheHighUidIsNotLost() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(21, 10).messages());
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();
            assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            dovecot().bulkLoad(u.name(), "INBOX", generator(22, MESSAGES).messages());
            long newest = 10 + MESSAGES;
            proxy.cutOnceAfterServerBytes(150_000);

            RunReport cut = engine.syncNow(id);

            assertThat(cut.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(located(id, "INBOX")).as("the newest batch stored").containsKey(newest);
            assertThat(stores.folders().list(id.value()).get(0).highUid()).as("the high UID not moved").isEqualTo(10L);
            dovecot().addFlags(u.name(), "INBOX", Long.toString(newest), "$Label1");

            RunReport resumed = engine.syncNow(id);

            assertThat(resumed.outcome()).as(resumed.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(resumed.flagChanges()).isEqualTo(1);
            assertMirrors(id, u, "INBOX");
        }
    }

    /**
     * A UIDVALIDITY change on a folder of several remap chunks (1,000 messages each, a transaction
     * each), cut in the middle: at that point a record is marked deleted on the server exactly when
     * it is located nowhere, and the old UIDVALIDITY is still the folder's; the next run starts the
     * remap over and ends with the same records, none twice and none downloaded again.
     */
    @Test
    void aUidValidityChangeCutInTheMiddleOfItsRemapStartsOverWithTheSameRecords() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(31, 2_500).messages());
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();
            assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            Map<String, Long> before = recordsByKey(id);
            long oldValidity = stores.folders().list(id.value()).get(0).uidValidity();
            dovecot().recreateFolder(u.name(), "INBOX");
            // in the second chunk: the whole remap takes about 590 KB (UID, flags, MODSEQ and Message-ID of each message)
            proxy.cutOnceAfterServerBytes(350_000);

            RunReport cut = engine.syncNow(id);

            assertThat(cut.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(cut.failure().kind()).isEqualTo(Kind.NETWORK);
            assertThat(stores.folders().list(id.value()).get(0).uidValidity()).as("written last").isEqualTo(oldValidity);
            assertThat(located(id, "INBOX").size()).as("some chunks matched").isBetween(1_000, 2_000);
            assertThat(count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = :mailbox AND ((m.deleted_on_server = TRUE"
                    + " AND EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = m.id)) OR (m.deleted_on_server ="
                    + " FALSE AND NOT EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = m.id)))", id))
                    .as("deleted on the server exactly when located nowhere").isZero();

            RunReport resumed = engine.syncNow(id);

            assertThat(resumed.outcome()).as(resumed.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(resumed.messagesStored()).as("all matched, nothing downloaded again").isZero();
            assertThat(recordsByKey(id)).as("same records, same ids").isEqualTo(before);
            assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox AND deleted_on_server = TRUE", id))
                    .isZero();
            assertMirrors(id, u, "INBOX");
        }
    }

    @Test
    void aServerRestartInTheMiddleOfARunResumes() {
        DovecotUser u = userWithMail(12);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();
        onFirstBatch(() -> dovecot().restart());

        RunReport interrupted = engine.syncNow(id);

        assertThat(interrupted.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(interrupted.failure().kind().isTransient()).isTrue();
        assertConsistent(id);
        events.onEvent(e -> { });
        RunReport resumed = engine.syncNow(id);
        assertThat(resumed.outcome()).as(resumed.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertMirrors(id, u, "INBOX");
    }

    @Test
    void aPasswordChangedInTheMiddleOfARunIsAnAuthenticationFailureWithoutPartialBatch() {
        DovecotUser u = userWithMail(13);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();
        String newPassword = "changed-" + java.util.UUID.randomUUID();
        onFirstBatch(() -> {
            dovecot().changePassword(u.name(), newPassword);
            dovecot().kick(u.name());
        });

        RunReport dropped = engine.syncNow(id);
        assertThat(dropped.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertConsistent(id);
        long stored = messages(id);
        assertThat(stored).isBetween(1L, MESSAGES - 1L);

        RunReport refused = engine.syncNow(id);

        assertThat(refused.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(refused.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(refused.error()).contains("password").doesNotContain(newPassword).doesNotContain(u.password());
        assertThat(record(id).consecutiveFailures()).isEqualTo(2);
        assertThat(record(id).lastFailure()).contains("refused the user name or password");
        assertThat(messages(id)).isEqualTo(stored);
        assertConsistent(id);

        changePassword(id, newPassword);
        events.onEvent(e -> { });
        assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertMirrors(id, u, "INBOX");
    }

    @Test
    void aStalledServerTimesOutIsClassifiedAndBacksOff() {
        DovecotUser u = userWithMail(14);
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();
            onFirstBatch(() -> proxy.stall(true));

            RunReport stalled = engine.syncNow(id);

            assertThat(stalled.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(stalled.failure().kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(stalled.error()).contains("did not answer in time");
            ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
            assertThat(s.failures()).isEqualTo(1);
            assertThat(s.nextDue()).isBefore(Instant.now().plus(Duration.ofMinutes(2)));
            assertThat(record(id).consecutiveFailures()).isEqualTo(1);
            assertConsistent(id);

            proxy.heal();
            events.onEvent(e -> { });
            assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertMirrors(id, u, "INBOX");
        }
    }

    @Test
    void aConnectionLostAfterTheLeaseWentToAnotherNodeIsNotCountedAgainstTheMailbox() {
        DovecotUser u = userWithMail(16);
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();
            // as after a long pause: another node took the mailbox over, and this node's connection then stalls
            onFirstBatch(() -> {
                db.execute("UPDATE sync_schedule SET lease_owner = 'node-z', lease_epoch = lease_epoch + 1"
                        + " WHERE mailbox_id = " + id.value());
                proxy.stall(true);
            });

            RunReport r = engine.syncNow(id);

            assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.INTERRUPTED);
            assertThat(r.failure()).isNull();
            assertThat(record(id).consecutiveFailures()).as("not the mailbox's failure").isZero();
            ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
            assertThat(s.leaseOwner()).isEqualTo("node-z");
            assertThat(s.failures()).isZero();
            assertConsistent(id);
        }
    }

    @Test
    void failingCommitsAreRetriedAndNothingIsHalfWritten() {
        DovecotUser u = userWithMail(15);
        FlakyDataSource flaky = new FlakyDataSource(db.dataSource());
        try (Stores flakyStores = Stores.open(flaky)) {
            MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
            // a short lease: when the database fails, the lease cannot be released and must expire
            Engine engine = engine(settings().withLeaseTtl(Duration.ofSeconds(2)).withDbRetries(3), flakyStores, mailboxes);

            // two failed commits in the middle: the batch is written again and the run succeeds
            onFirstBatch(() -> flaky.failCommits(2));
            RunReport retried = engine.syncNow(id);

            assertThat(retried.outcome()).as(retried.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(flaky.failedCommits.get()).isEqualTo(2);
            assertMirrors(id, u, "INBOX");

            // the database gone for good: the run fails, the stored batches are whole, the next run completes
            dovecot().bulkLoad(u.name(), "INBOX", generator(16, 60).messages());
            onFirstBatch(() -> flaky.failCommits(1000));
            RunReport failed = engine.syncNow(id);
            assertThat(failed.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(failed.error()).contains("database");
            assertConsistent(id);

            flaky.heal();
            events.onEvent(e -> { });
            RunReport resumed = retryWhileLeased(() -> engine.syncNow(id));
            assertThat(resumed.outcome()).as(resumed.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertMirrors(id, u, "INBOX");
            assertThat(record(id).consecutiveFailures()).as("a database failure is not the mailbox's").isZero();
        }
    }

    @Test
    void whenANodeDiesAnotherFinishesAfterTheLeaseExpiredWithoutDuplicates() {
        DovecotUser u = userWithMail(17);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Duration ttl = Duration.ofMillis(1500);
        Engine a = engine(settings().withNodeId("node-a").withLeaseTtl(ttl));
        Engine b = engine(settings().withNodeId("node-b").withLeaseTtl(ttl));
        AtomicReference<io.postroom.persistence.Lease> aLease = new AtomicReference<>();
        onFirstBatch(() -> {
            aLease.set(stores.schedule().find(id.value()).map(r -> new io.postroom.persistence.Lease(id.value(),
                    r.leaseOwner(), r.leaseEpoch(), ttl)).orElseThrow());
            a.halt();
        });

        RunReport died = a.syncNow(id);
        assertThat(died.outcome()).isEqualTo(SyncOutcome.INTERRUPTED);
        assertThat(stores.schedule().find(id.value()).orElseThrow().leaseOwner()).as("a dead node releases nothing")
                .isEqualTo("node-a");
        long before = messages(id);
        assertThat(before).isBetween(1L, MESSAGES - 1L);
        events.onEvent(e -> { });

        RunReport finished = retryWhileLeased(() -> b.syncNow(id));
        assertThat(finished.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(finished.messagesStored()).isEqualTo(messages(id) - before);
        assertMirrors(id, u, "INBOX");

        // whatever node-a still had in flight is fenced off
        FolderRecord inbox = stores.folders().list(id.value()).get(0);
        long rows = messages(id);
        assertThatThrownBy(() -> stores.messages().write(MessageBatch.of(aLease.get(), 0, inbox.id(), inbox.uidValidity(),
                List.of(), inbox.checkpoint().withHighUid(1L)))).isInstanceOf(LeaseLostException.class);
        assertThat(messages(id)).isEqualTo(rows);
        assertThat(stores.folders().find(inbox.id()).orElseThrow().highUid()).isEqualTo(inbox.highUid());
    }
}
