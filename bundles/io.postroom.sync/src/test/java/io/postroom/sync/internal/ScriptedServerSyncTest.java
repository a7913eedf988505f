package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.sync.SyncEvents;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.persistence.MessageDetail;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.sync.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole runs against {@link ScriptedImapServer}, for server behaviour Dovecot and GreenMail do not
 * show on demand: a folder without mod-sequences on a CONDSTORE server, an expunge that leaves
 * HIGHESTMODSEQ where it was, a text FETCH the server refuses for one message, a hostile answer
 * larger than the response limit.
 */
class ScriptedServerSyncTest extends SyncFixture {
    private static final String USER = "anna";
    private static final String PASSWORD = "secret-1";

    private ScriptedImapServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private MailboxId mailboxOn(ScriptedImapServer s) {
        return mailbox(newAddress("anna"), USER, PASSWORD, s.port(),
                mailboxSettings(List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
    }

    private static String message(String messageId, String subject) {
        return "From: bob@example.com\r\nTo: anna@postroom.test\r\nSubject: " + subject + "\r\nMessage-ID: <" + messageId
                + ">\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
                + "\r\nHello, this is " + subject + ".\r\n";
    }

    private void deliverThree() {
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 3; i++) {
            server.deliver("INBOX", message("m" + i + "@x", "Message " + i), yesterday);
        }
    }

    /**
     * A run that failed in its second batch: the first, complete one (m4, m5) is stored, the broken
     * one is not (nothing half-written), no message quarantined (not one message's fault); the run
     * counted towards deactivation, the lease released, the event with the failure's kind.
     */
    private void failedAfterTheFirstBatch(MailboxId id, String kind, String lastError) {
        assertThat(storedMessageIds(id)).containsExactly("<m4@x>", "<m5@x>");
        assertThat(located(id, "INBOX")).containsOnlyKeys(4L, 5L);
        assertConsistent(id);
        assertThat(stores.quarantine().list(id.value())).as("not one message's fault").isEmpty();
        assertThat(record(id).consecutiveFailures()).isEqualTo(1);
        assertThat(record(id).active()).isTrue();
        var schedule = stores.schedule().find(id.value()).orElseThrow();
        assertThat(schedule.leaseHeld()).isFalse();
        assertThat(schedule.failures()).isEqualTo(1);
        assertThat(schedule.lastError()).contains(lastError);
        assertThat(events.topic(SyncEvents.FAILED)).singleElement()
                .satisfies(e -> assertThat(e.getProperty(SyncEvents.FAILURE_KIND)).isEqualTo(kind));
    }

    /** The server behaves again: the next run stores the rest, exactly the server's five messages, and the counter starts again. */
    private void allFiveStoredBy(Engine engine, MailboxId id) {
        RunReport next = engine.syncNow(id);

        assertThat(next.outcome()).as(next.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).containsExactly("<m1@x>", "<m2@x>", "<m3@x>", "<m4@x>", "<m5@x>");
        assertThat(located(id, "INBOX")).containsOnlyKeys(1L, 2L, 3L, 4L, 5L);
        assertThat(record(id).consecutiveFailures()).isZero();
        assertConsistent(id);
    }

    @Test
    void aBackfillCursorNeverPassesAMessageStillWaitingBehindAGoneUid() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        Instant old = Instant.now().minus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String filler = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n".repeat(600);
        for (int i = 1; i <= 4; i++) {
            server.deliver("INBOX", message("old" + i + "@x", "Old " + i) + filler, old);
        }
        server.deliver("INBOX", message("recent@x", "Recent"), Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
        MailboxId id = mailbox(newAddress("anna"), USER, PASSWORD, server.port(),
                mailboxSettings(List.of("INBOX"), SyncPeriod.DAYS_7, KeepPolicy.BOTH, Set.of()));
        // one message per batch (by bytes), the backfill in runs of its own
        Engine engine = engine(settings().withBatch(50, 64 * 1024).withBackfill(true, 100));
        assertThat(engine.syncNow(id).messagesStored()).isEqualTo(1);
        changeSettings(id, mailboxSettings(List.of("INBOX"), SyncPeriod.MONTH_1, KeepPolicy.BOTH, Set.of()));
        engine.syncNow(id);
        java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();
        server.refuse(c -> {
            // the backfill's metadata fetch of UIDs 4..1: UID 1 is expunged meanwhile (reported gone with UID 4's batch)
            if (phase.get() == 0 && c.startsWith("UID FETCH") && c.contains("BODYSTRUCTURE")
                    && ScriptedImapServer.fetches(c, 4) && ScriptedImapServer.fetches(c, 1)) {
                phase.set(1);
                server.expunge("INBOX", 1, true);
            } else if (phase.get() == 1 && c.startsWith("UID FETCH") && !c.contains("BODYSTRUCTURE")
                    && ScriptedImapServer.fetches(c, 3)) {
                phase.set(2);
                throw new IllegalStateException("connection dropped"); // the server thread closes the socket
            }
            return null;
        });
        RunReport broken = engine.backfillNow(id);
        assertThat(broken.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(broken.failure().kind()).as("dropped in a pipelined round: a network failure, as in any other command")
                .isEqualTo(ConnectionFailure.Kind.NETWORK);
        assertThat(stores.folders().list(id.value()).get(0).lowUid()).as("the cursor stays above UID 3").isGreaterThan(3L);

        server.refuse(null);
        for (int i = 0; i < 3 && stores.schedule().find(id.value()).orElseThrow().backfillPending(); i++) {
            engine.backfillNow(id);
        }
        assertThat(storedMessageIds(id)).containsExactlyInAnyOrder("<recent@x>", "<old2@x>", "<old3@x>", "<old4@x>");
    }

    @Test
    void aFolderWithoutModSequencesOnACondstoreServerIsFetchedWithoutModSeq() {
        server = ScriptedImapServer.start("IMAP4rev1 CONDSTORE", USER, PASSWORD);
        server.folder("INBOX").noModSeq = true;
        deliverThree();
        MailboxId id = mailboxOn(server);
        Engine engine = engine();

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(3);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertThat(storedMessageIds(id)).containsExactly("<m1@x>", "<m2@x>", "<m3@x>");
        assertThat(server.commands()).filteredOn(c -> c.startsWith("UID FETCH")).isNotEmpty()
                .noneMatch(c -> c.contains("MODSEQ") || c.contains("CHANGEDSINCE"));

        // flags and expunges of such a folder come from the FLAGS scan
        synchronized (server) {
            server.folder("INBOX").messages.get(2L).flags.add("\\Flagged");
        }
        server.expunge("INBOX", 3, false);
        RunReport second = engine.syncNow(id);

        assertThat(second.outcome()).as(second.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(second.flagChanges()).isEqualTo(1);
        assertThat(second.expunged()).isEqualTo(1);
        assertThat(byMessageId(id, "m2@x").summary().flags()).containsExactly("\\Flagged");
        assertThat(located(id, "INBOX")).containsOnlyKeys(1L, 2L);
        assertThat(stores.quarantine().list(id.value())).isEmpty();

        // and a new UIDVALIDITY: the messages are matched again without MODSEQ too
        long before = byMessageId(id, "m1@x").summary().id();
        synchronized (server) {
            server.folder("INBOX").uidValidity++;
        }
        RunReport remapped = engine.syncNow(id);

        assertThat(remapped.outcome()).as(remapped.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(remapped.messagesStored()).isZero();
        assertThat(byMessageId(id, "m1@x").summary().id()).isEqualTo(before);
        assertThat(located(id, "INBOX")).containsOnlyKeys(1L, 2L);
        assertThat(server.commands()).filteredOn(c -> c.startsWith("UID FETCH"))
                .noneMatch(c -> c.contains("MODSEQ") || c.contains("CHANGEDSINCE"));
        assertConsistent(id);
    }

    @Test
    void anExpungeThatLeavesHighestModSeqIsFoundWithCondstoreOnly() {
        server = ScriptedImapServer.start("IMAP4rev1 CONDSTORE", USER, PASSWORD);
        deliverThree();
        MailboxId id = mailboxOn(server);
        Engine engine = engine();
        assertThat(engine.syncNow(id).messagesStored()).isEqualTo(3);
        long modSeq = server.folder("INBOX").highestModSeq;

        // MESSAGES drops from 3 to 2, HIGHESTMODSEQ stays: allowed without QRESYNC (RFC 4551)
        server.expunge("INBOX", 2, false);
        assertThat(server.folder("INBOX").highestModSeq).isEqualTo(modSeq);
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.expunged()).isEqualTo(1);
        assertThat(located(id, "INBOX")).containsOnlyKeys(1L, 3L);
        MessageDetail gone = byMessageId(id, "m2@x");
        assertThat(gone.summary().deletedOnServer()).isTrue();
        assertThat(gone.locations()).isEmpty();
        // and the next run, with nothing changed, does not look again
        RunReport idle = engine.syncNow(id);
        assertThat(idle.imapCommands()).as("LIST and STATUS only").isLessThanOrEqualTo(2);
        assertConsistent(id);
    }

    @Test
    void aMessageWhoseTextTheServerRefusesIsQuarantinedAndStoredWithItsTextLater() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        deliverThree();
        server.refuse(c -> (c.contains("BODY.PEEK[1]") || c.contains("BODY.PEEK[TEXT]")) && ScriptedImapServer.fetches(c, 2)
                ? "NO [SERVERBUG] Message 2 cannot be read" : null);
        MailboxId id = mailboxOn(server);
        Engine engine = engine();

        RunReport first = engine.syncNow(id);

        assertThat(first.outcome()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(first.quarantined()).isEqualTo(1);
        assertThat(storedMessageIds(id)).as("not stored without its text").containsExactly("<m1@x>", "<m3@x>");
        assertThat(stores.quarantine().list(id.value())).singleElement().satisfies(q -> {
            assertThat(q.uid()).isEqualTo(2);
            assertThat(q.folder()).isEqualTo("INBOX");
            assertThat(q.error()).contains("text").contains("Message 2 cannot be read");
            assertThat(q.givenUp()).isFalse();
        });
        assertThat(byMessageId(id, "m1@x").text()).contains("Hello, this is Message 1.");

        // the server reads it again: the next run stores it, with its text
        server.refuse(null);
        RunReport second = engine.syncNow(id);

        assertThat(second.outcome()).as(second.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(second.messagesStored()).isEqualTo(1);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        MessageDetail m2 = byMessageId(id, "m2@x");
        assertThat(m2.text()).contains("Hello, this is Message 2.");
        assertThat(located(id, "INBOX")).containsOnlyKeys(1L, 2L, 3L);
        assertConsistent(id);
    }

    /**
     * At a response limit of 64 KiB a metadata command asks about at most 6 messages (headers cut at
     * 16 KiB, answers within 128 KiB), in commands sent together. The server refuses the ones with
     * UID 4 (in the first batch's metadata) and UID 15 (in the metadata that rides with the first
     * batch's texts): only those commands are done again in halves, the two messages quarantined
     * with the server's answer, the other 18 stored.
     */
    @Test
    void aRefusedMetadataCommandAmongSeveralQuarantinesOnlyItsFailingMessage() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 20; i++) {
            server.deliver("INBOX", message("m" + i + "@x", "Message " + i), yesterday);
        }
        java.util.concurrent.atomic.AtomicInteger widest = new java.util.concurrent.atomic.AtomicInteger();
        server.refuse(c -> {
            if (!c.contains("BODYSTRUCTURE")) {
                return null;
            }
            int asked = (int) java.util.stream.IntStream.rangeClosed(1, 20).filter(n -> ScriptedImapServer.fetches(c, n)).count();
            widest.accumulateAndGet(asked, Math::max);
            return ScriptedImapServer.fetches(c, 4) || ScriptedImapServer.fetches(c, 15) ? "NO [SERVERBUG] Cannot describe it" : null;
        });
        MailboxId id = mailboxOn(server);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));
        Engine engine = engine(settings().withBatch(10, 1024 * 1024), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(widest.get()).as("messages in one metadata command").isEqualTo(6);
        assertThat(r.messagesStored()).isEqualTo(18);
        assertThat(stores.quarantine().list(id.value())).extracting(q -> q.uid()).containsExactlyInAnyOrder(4L, 15L);
        assertThat(stores.quarantine().list(id.value())).allSatisfy(q ->
                assertThat(q.error()).contains("refused to send the message").contains("Cannot describe it"));
        assertThat(located(id, "INBOX")).hasSize(18).doesNotContainKeys(4L, 15L);
        assertConsistent(id);
    }

    @Test
    void aFolderErrorKeepsTheFoldersSpecialUse() {
        server = ScriptedImapServer.start("IMAP4rev1 SPECIAL-USE", USER, PASSWORD);
        deliverThree();
        server.folder("Sent Items").attributes = "\\Sent";
        server.deliver("Sent Items", message("s1@x", "Sent 1"), Instant.now().minus(1, ChronoUnit.DAYS));
        MailboxId id = mailbox(newAddress("anna"), USER, PASSWORD, server.port(),
                mailboxSettings(List.of("INBOX", "Sent Items"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
        server.refuse(c -> c.startsWith("EXAMINE \"Sent Items\"") ? "NO [UNAVAILABLE] try again later" : null);

        RunReport r = engine().syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(r.error()).contains("The folder Sent Items could not be synchronised");
        var sent = stores.folders().list(id.value()).stream().filter(f -> f.name().equals("Sent Items")).findFirst().orElseThrow();
        assertThat(sent.lastError()).contains("could not be synchronised");
        assertThat(sent.specialUse()).as("still the Sent folder").isEqualTo("SENT");
    }

    private MessageDetail byMessageId(MailboxId id, String messageId) {
        long m = stores.messages().findByMessageIdHeader(id.value(), messageId)
                .orElseThrow(() -> new AssertionError("no record for " + messageId));
        return stores.messages().find(m).orElseThrow();
    }
    // ------------------------------------------------------------------ responses larger than the limit

    /** Far below what the test JVM could allocate, and far below the announced 2,000,000,000 bytes. */
    private static final int RESPONSE_LIMIT = 256 * 1024;

    /** A run against a hostile server: the mailbox, its engine (bounded by {@link #RESPONSE_LIMIT}) and the report. */
    private record HostileRun(MailboxId id, Engine engine, RunReport report) {
    }

    /**
     * Five messages, fetched newest first in batches of two: 5 and 4 are fetched and stored, then the
     * metadata of 3 and 2 (sent together with the text of 5 and 4) is answered as a hostile server of
     * this kind would. The run failed as a protocol failure while fetching.
     */
    private HostileRun hostileAfterTheFirstBatch(ScriptedImapServer.Hostile kind) {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 5; i++) {
            server.deliver("INBOX", message("m" + i + "@x", "Message " + i), yesterday);
        }
        server.hostile(kind, c -> c.contains("BODYSTRUCTURE") && ScriptedImapServer.fetches(c, 3));
        MailboxId id = mailboxOn(server);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(RESPONSE_LIMIT));
        Engine engine = engine(settings().withBatch(2, 1024 * 1024), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(r.failure().kind()).isEqualTo(ConnectionFailure.Kind.PROTOCOL);
        assertThat(r.failure().step()).isEqualTo(ConnectionFailure.Step.FETCH);
        assertThat(r.error()).doesNotContain("scripted-evil-text");
        return new HostileRun(id, engine, r);
    }

    @ParameterizedTest
    @EnumSource(value = ScriptedImapServer.Hostile.class, names = "ENDLESS_UNTAGGED", mode = EnumSource.Mode.EXCLUDE)
    void aResponseLargerThanTheLimitFailsTheRunAsAProtocolFailureAndNothingIsStoredHalfWay(ScriptedImapServer.Hostile kind) {
        HostileRun run = hostileAfterTheFirstBatch(kind);

        assertThat(run.report().error())
                .contains("The server sent a response of more than 262,144 bytes (it needed at least ")
                .contains("Postroom stopped reading it and closed the connection")
                .contains("maxResponseMegabytes of io.postroom.protocol")
                .doesNotContain("xxxxxxxx").doesNotContain("{2000000000}");
        if (kind == ScriptedImapServer.Hostile.HUGE_LITERAL) {
            // refused while growing the buffer, before the array: what it would have needed, not what was held
            assertThat(run.report().error()).contains("it needed at least 2,000,000,");
        }
        failedAfterTheFirstBatch(run.id(), "PROTOCOL", "more than 262,144 bytes");

        // the server behaves again: the next run stores the rest, the counter starts again
        server.hostile(null, null);
        allFiveStoredBy(run.engine(), run.id());
    }

    @Test
    void smallUntaggedResponsesWithoutEndFailTheRunOnceTheAnswerHoldsFourTimesTheLimit() {
        HostileRun run = hostileAfterTheFirstBatch(ScriptedImapServer.Hostile.ENDLESS_UNTAGGED);

        assertThat(run.report().error())
                .contains("The server's answer to one command came to more than 1 MB (")
                .contains("maxResponseMegabytes of io.postroom.protocol (one answer may hold four times that)");
        failedAfterTheFirstBatch(run.id(), "PROTOCOL", "more than 1 MB");

        server.hostile(null, null);
        allFiveStoredBy(run.engine(), run.id());
    }

    @Test
    void aHugeLiteralInTheFirstMetadataAnswerStoresNothing() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        deliverThree();
        server.hostile(ScriptedImapServer.Hostile.HUGE_LITERAL, c -> c.contains("BODYSTRUCTURE"));
        MailboxId id = mailboxOn(server);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(RESPONSE_LIMIT));

        RunReport r = engine(settings(), bounded).syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(r.failure().kind()).isEqualTo(ConnectionFailure.Kind.PROTOCOL);
        assertThat(r.error()).contains("more than 262,144 bytes").doesNotContain("scripted-evil-text");
        assertThat(messages(id)).isZero();
        assertThat(record(id).consecutiveFailures()).isEqualTo(1);
        assertThat(stores.schedule().find(id.value()).orElseThrow().leaseHeld()).isFalse();
    }

    // ------------------------------------------------------------------ servers that drip their answers

    /** Short, so the tests are quick; the read timeout (20 s, see SyncFixture) is far longer: only the command timeout fires. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);

    private MailConnector impatient() {
        return MailConnectors.create(connectorConfig().withCommandTimeout(COMMAND_TIMEOUT));
    }

    /** A byte every 100 ms: never silent near the read timeout, done only after many seconds. */
    private void dripWhen(java.util.function.Predicate<String> when) {
        server.drip(100, 1, when);
    }

    private void isCommandTimeout(RunReport r, ConnectionFailure.Step step, String what) {
        assertThat(r.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(r.failure().kind()).isEqualTo(ConnectionFailure.Kind.TIMEOUT);
        assertThat(r.failure().step()).isEqualTo(step);
        assertThat(r.error())
                .contains("The mail server had not finished " + what + " after 1,500 ms, the limit set by"
                        + " commandTimeoutSeconds of io.postroom.protocol; the connection was closed.")
                .contains("ask the administrator to raise the limit")
                .contains("It is retried automatically.");
    }

    @Test
    void aFetchAnswerDrippedPastTheCommandTimeoutFailsTheRunAsATimeoutAndTheNextRunStoresEverything() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 5; i++) {
            server.deliver("INBOX", message("m" + i + "@x", "Message " + i), yesterday);
        }
        // newest first in batches of two: 5 and 4 are fetched and stored; the metadata of 3 and 2 rides in a pipelined
        // round behind the text of 5 and 4, under a tag of the sync's own, and is dripped
        dripWhen(c -> c.contains("BODYSTRUCTURE") && ScriptedImapServer.fetches(c, 3));
        MailboxId id = mailboxOn(server);
        Engine engine = engine(settings().withBatch(2, 1024 * 1024), impatient());

        RunReport r = engine.syncNow(id);

        isCommandTimeout(r, ConnectionFailure.Step.FETCH, "answering the IMAP command UID FETCH");
        failedAfterTheFirstBatch(id, "TIMEOUT", "commandTimeoutSeconds of io.postroom.protocol");

        // the server answers at once again: the next run stores the rest, exactly the server's messages
        server.drip(0, 1, null);
        allFiveStoredBy(engine, id);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {ScriptedImapServer.GREETING, "LOGIN"})
    void aGreetingOrLoginDrippedPastTheCommandTimeoutFailsTheRunWhileConnecting(String dripped) {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        deliverThree();
        dripWhen(c -> c.startsWith(dripped));
        MailboxId id = mailboxOn(server);
        Engine engine = engine(settings(), impatient());

        RunReport r = engine.syncNow(id);

        // the step says how far the opening came: a greeting not finished, or a login
        isCommandTimeout(r, dripped.equals("LOGIN") ? ConnectionFailure.Step.LOGIN : ConnectionFailure.Step.CONNECT,
                "opening the connection (greeting, TLS and login)");
        assertThat(r.error()).startsWith(dripped.equals("LOGIN") ? "IMAP login to" : "IMAP connect to");
        assertThat(r.error()).doesNotContain(PASSWORD);
        assertThat(messages(id)).isZero();
        assertThat(record(id).consecutiveFailures()).isEqualTo(1);
        assertThat(stores.schedule().find(id.value()).orElseThrow().leaseHeld()).isFalse();

        server.drip(0, 1, null);
        RunReport next = engine.syncNow(id);

        assertThat(next.outcome()).as(next.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).containsExactly("<m1@x>", "<m2@x>", "<m3@x>");
        assertThat(record(id).consecutiveFailures()).isZero();
        assertConsistent(id);
    }

    @Test
    void aServerThatTakesItsTimeWithinTheCommandTimeoutIsNotCut() {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 4; i++) {
            server.deliver("INBOX", message("m" + i + "@x", "Message " + i), yesterday);
        }
        // every FETCH answer dripped, one message per batch: a metadata answer (about 420 bytes) takes about 0.7 s of the
        // 2 s each command may take, the run as a whole about 3 s: the limit is per command, not per connection
        server.drip(50, 30, c -> c.startsWith("UID FETCH"));
        MailboxId id = mailboxOn(server);
        Engine engine = engine(settings().withBatch(1, 1024 * 1024),
                MailConnectors.create(connectorConfig().withCommandTimeout(Duration.ofSeconds(2))));

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).containsExactly("<m1@x>", "<m2@x>", "<m3@x>", "<m4@x>");
        assertThat(record(id).consecutiveFailures()).isZero();
        assertConsistent(id);
    }

    @Test
    void aNodeStoppingWhileAServerDripsBreaksTheConnectionOffWithoutWaitingForTheCommand() throws Exception {
        server = ScriptedImapServer.start("IMAP4rev1", USER, PASSWORD);
        deliverThree();
        // a byte every 100 ms: the metadata answer would take minutes, the command timeout (10 minutes) is far away
        dripWhen(c -> c.contains("BODYSTRUCTURE"));
        MailboxId id = mailboxOn(server);
        Engine engine = engine(settings(), MailConnectors.create(connectorConfig().withCommandTimeout(Duration.ofMinutes(10))));
        Thread stopping = new Thread(engine::close, "node-stopping");
        // the node stops (the bundle is stopped) while the run waits for the dripping answer, the protocol's lock held
        server.onDripStart(stopping::start);

        RunReport r = engine.syncNow(id);
        int dripsDone = server.dripsDone();
        stopping.join();

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.INTERRUPTED);
        assertThat(r.failure()).isNull();
        // the run did not wait for the answer (it would take minutes): the connection was broken off under the command
        assertThat(dripsDone).as("dripped answers sent to their end when the run was over").isZero();
        assertThat(messages(id)).isZero();
        assertThat(record(id).consecutiveFailures()).as("not the mailbox's failure").isZero();
        assertThat(stores.schedule().find(id.value()).orElseThrow().leaseHeld()).isFalse();
    }
}
