package io.postroom.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.Correspondent;
import io.postroom.api.message.Direction;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the sync's stores must do, once per database (subclasses name it): deduplication, idempotent
 * batches, fencing, the lease on the database's clock, threading, UIDVALIDITY remaps, quarantine,
 * run history and the read side the message service uses. Each test uses a mailbox of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SyncStoreContract {
    static final List<String> TABLES = List.of("message", "message_body", "message_location", "message_address",
            "message_ref", "attachment", "quarantine", "folder_state", "sync_run");
    static final Duration TTL = Duration.ofMinutes(5);
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    TestDatabase db;
    Stores stores;
    MessageStore messages;
    FolderStore folders;
    ScheduleStore schedule;
    SyncRunStore runs;
    QuarantineStore quarantine;

    TenantId tenant;
    long mailbox;

    abstract DatabaseKind kind();

    @BeforeAll
    void openDatabase() {
        db = TestDatabases.create(kind());
        stores = Stores.open(db.dataSource());
        messages = stores.messages();
        folders = stores.folders();
        schedule = stores.schedule();
        runs = stores.runs();
        quarantine = stores.quarantine();
    }

    @AfterAll
    void closeDatabase() {
        if (stores != null) {
            stores.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void newMailbox() {
        tenant = TenantId.of("t-" + UUID.randomUUID());
        mailbox = newMailbox(tenant);
    }

    long newMailbox(TenantId t) {
        String address = "anna-" + UUID.randomUUID() + "@example.com";
        MailboxSettings settings = new MailboxSettings("Anna", "", AccessLevel.PERSONAL, Set.of(),
                MessageVisibility.OWNER_ONLY, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DAYS_14, List.of("INBOX"));
        return stores.mailboxes().create(new MailboxDraft(t, UserId.of("anna"), EmailAddress.of(address), "custom", address,
                "v1:sealed", new Endpoint("imap.example.com", 993, Security.SSL),
                new Endpoint("smtp.example.com", 465, Security.SSL), settings, T0), List.of()).id();
    }

    // ------------------------------------------------------------------ fixtures

    Lease claimLease(String node) {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        List<Claim> claims = claimAll(node);
        return claims.stream().filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow().lease();
    }

    /** Claims due mailboxes until this test's mailbox is among them (other tests' mailboxes may be due too). */
    List<Claim> claimAll(String node) {
        return schedule.claim(node, ClaimKind.REGULAR, 1000, TTL);
    }

    static MessageDraft draft(long uid, String messageId, String subject, Instant date, String... references) {
        return new MessageDraft(uid, Set.of("\\Seen"), null, messageId, "fp-" + (messageId == null ? subject : messageId),
                Direction.RECEIVED, subject, subject.toLowerCase(), List.of(
                        new MessageAddress(AddressKind.FROM, "Bob Sender", "bob@example.com"),
                        new MessageAddress(AddressKind.TO, "Anna", "Anna@Example.com"),
                        new MessageAddress(AddressKind.TO, "", "team@example.com"),
                        new MessageAddress(AddressKind.CC, "Carol", "carol@example.com")),
                date, date, 1234, null, null, references.length == 0 ? List.of() : List.of(references[references.length - 1]),
                List.of(references), "Hello " + subject + "\n\nbody text", "<p>Hello</p>",
                List.of(new AttachmentRecord(1, "2", "report.pdf", "application/pdf", 50_000, false, null, "base64")),
                Set.of());
    }

    MessageDraft sent(MessageDraft d) {
        return new MessageDraft(d.uid(), d.flags(), d.modSeq(), d.messageIdHeader(), d.fingerprint(), Direction.SENT,
                d.subject(), d.normalizedSubject(), d.addresses(), d.date(), d.internalDate(), d.size(), d.autoSubmitted(),
                d.listId(), d.inReplyTo(), d.references(), d.text(), d.html(), d.attachments(), d.problems());
    }

    FolderRecord folder(String name) {
        return folders.open(mailbox, name, null);
    }

    MessageBatch batch(Lease lease, long runId, FolderRecord folder, long uidValidity, MessageDraft... drafts) {
        return MessageBatch.of(lease, runId, folder.id(), uidValidity, List.of(drafts),
                folder.checkpoint().withServer(uidValidity, 100L, null, drafts.length, T0).withHighUid(99L));
    }

    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : TABLES) {
            counts.put(t, db.count(t));
        }
        return counts;
    }

    long count(String sql) {
        return db.queryForLong(sql.replace(":mailbox", Long.toString(mailbox)));
    }

    // ------------------------------------------------------------------ writing

    @Test
    void oneMessageInTwoFoldersIsOneRecordWithTwoLocations() {
        Lease lease = claimLease("node-a");
        long run = runs.start(lease, SyncTrigger.SCHEDULED);
        FolderRecord inbox = folder("INBOX");
        FolderRecord sent = folders.open(mailbox, "Sent", "SENT");

        BatchResult first = messages.write(batch(lease, run, inbox, 7, draft(3, "same@x", "Hello", T0)));
        BatchResult second = messages.write(batch(lease, run, sent, 9, sent(draft(11, "same@x", "Hello", T0))));

        assertThat(first.storedIds()).hasSize(1);
        assertThat(second.storedIds()).isEmpty();
        assertThat(second.locationsAdded()).isEqualTo(1);
        long id = first.storedIds().get(0);
        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox")).isEqualTo(1);
        MessageDetail m = messages.find(id).orElseThrow();
        assertThat(m.locations()).extracting(MessageLocation::folder, MessageLocation::uidValidity, MessageLocation::uid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("INBOX", 7L, 3L),
                        org.assertj.core.groups.Tuple.tuple("Sent", 9L, 11L));
        assertThat(m.summary().folders()).containsExactly("INBOX", "Sent");
        assertThat(m.summary().direction()).as("found in Sent: sent").isEqualTo(Direction.SENT);
        assertThat(runs.history(mailbox, 5).get(0).messagesStored()).isEqualTo(1);
    }

    @Test
    void writingTheSameBatchAgainChangesNothing() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        MessageBatch b = batch(lease, 0, inbox, 7, draft(1, "a@x", "A", T0), draft(2, "b@x", "B", T0.plusSeconds(60)),
                draft(3, "a@x", "A again", T0));

        BatchResult first = messages.write(b);
        Map<String, Long> after = counts();
        BatchResult replay = messages.write(b);

        assertThat(first.storedIds()).hasSize(2);
        assertThat(first.locationsAdded()).isEqualTo(3);
        assertThat(replay.storedIds()).isEmpty();
        assertThat(replay.locationsAdded()).isZero();
        assertThat(counts()).isEqualTo(after);
        assertThat(folders.locations(inbox.id())).extracting(LocationRecord::uid).containsExactly(1L, 2L, 3L);
        assertThat(folders.find(inbox.id()).orElseThrow().highUid()).isEqualTo(99L);
    }

    @Test
    void aBatchWithAStaleLeaseIsRejectedAndWritesNothing() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        Lease stale = new Lease(lease.mailboxId(), lease.owner(), lease.epoch() - 1, TTL);
        Lease stranger = new Lease(lease.mailboxId(), "node-b", lease.epoch(), TTL);
        Map<String, Long> before = counts();

        for (Lease wrong : List.of(stale, stranger)) {
            assertThatThrownBy(() -> messages.write(batch(wrong, 0, inbox, 7, draft(1, "a@x", "A", T0))))
                    .isInstanceOf(LeaseLostException.class)
                    .hasMessageContaining("lost the sync lease of mailbox " + mailbox);
            assertThatThrownBy(() -> folders.saveCheckpoint(wrong, inbox.id(), inbox.checkpoint().withHighUid(5L)))
                    .isInstanceOf(LeaseLostException.class);
            assertThatThrownBy(() -> runs.start(wrong, SyncTrigger.SCHEDULED)).isInstanceOf(LeaseLostException.class);
            assertThat(schedule.heartbeat(wrong)).isFalse();
            assertThat(schedule.saveProgress(wrong, new SyncProgress(0, 1, "INBOX", 0, 0, T0, "x"))).isFalse();
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(folders.find(inbox.id()).orElseThrow().highUid()).isNull();
        assertThat(schedule.heartbeat(lease)).isTrue();
    }

    @Test
    void aWiderKeepSettingGivesTheFoldersAPassOverThePeriodAndANarrowerOneDoesNot() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        messages.write(batch(lease, 0, inbox, 7, draft(1, "a@x", "A", T0)));
        FolderCheckpoint synced = inbox.checkpoint().withServer(7L, 2L, null, 1, T0).withHighUid(1L).withLowUid(1L)
                .withCompleteSince(T0);
        folders.saveCheckpoint(lease, inbox.id(), synced);

        assertThat(folders.applyKeep(lease, KeepPolicy.RECEIVED)).as("the first setting recorded").isFalse();
        assertThat(folders.applyKeep(lease, KeepPolicy.RECEIVED)).isFalse();
        assertThat(folders.find(inbox.id()).orElseThrow().highUid()).isEqualTo(1L);
        FolderRecord never = folder("Drafts");
        assertThat(folders.applyKeep(lease, KeepPolicy.BOTH)).as("received -> both keeps sent mail too").isTrue();
        FolderRecord over = folders.find(inbox.id()).orElseThrow();
        assertThat(over.highUid()).as("new mail, flags and expunges go on as before").isEqualTo(1L);
        assertThat(over.highestModSeq()).isEqualTo(synced.highestModSeq());
        assertThat(over.lowUid()).as("a pass from the top").isNull();
        assertThat(over.completeSince()).as("complete from now on only: the period is gone through again").isAfter(T0);
        assertThat(over.uidValidity()).as("what is stored stays valid").isEqualTo(7L);
        assertThat(folders.locations(inbox.id())).extracting(LocationRecord::uid).containsExactly(1L);
        assertThat(folders.find(never.id()).orElseThrow().completeSince()).as("never synchronised: nothing to do").isNull();

        folders.saveCheckpoint(lease, inbox.id(), synced);
        assertThat(folders.applyKeep(lease, KeepPolicy.SENT)).as("both -> sent keeps nothing new").isFalse();
        assertThat(folders.find(inbox.id()).orElseThrow().completeSince()).isEqualTo(T0);
        assertThat(folders.applyKeep(lease, KeepPolicy.RECEIVED)).as("sent -> received").isTrue();

        Lease stale = new Lease(lease.mailboxId(), lease.owner(), lease.epoch() - 1, TTL);
        assertThatThrownBy(() -> folders.applyKeep(stale, KeepPolicy.BOTH)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aReleasedLeaseNoLongerWrites() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        assertThat(schedule.release(lease, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofMinutes(10), 0, false))).isTrue();

        assertThatThrownBy(() -> messages.write(batch(lease, 0, inbox, 7, draft(1, "a@x", "A", T0))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(schedule.release(lease, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofMinutes(10), 0, false))).isFalse();
        ScheduleRecord s = schedule.find(mailbox).orElseThrow();
        assertThat(s.leaseHeld()).isFalse();
        assertThat(s.due()).isFalse();
        assertThat(s.lastOutcome()).isEqualTo(SyncOutcome.SUCCEEDED);
    }

    @Test
    void aRunAskedForWhileAnotherRunsIsNotPushedBackByItsEnd() {
        Lease lease = claimLease("node-a");
        schedule.requestRun(mailbox, tenant, SyncTrigger.MANUAL); // "sync now" while the scheduled run runs
        schedule.release(lease, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofMinutes(10), 0, false));

        ScheduleRecord s = schedule.find(mailbox).orElseThrow();
        assertThat(s.due()).as("due now, not in 10 minutes").isTrue();
        Claim manual = claimAll("node-b").stream().filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow();
        assertThat(manual.trigger()).isEqualTo(SyncTrigger.MANUAL);
        schedule.release(manual.lease(), new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofMinutes(10), 0, false));
        assertThat(schedule.find(mailbox).orElseThrow().due()).as("nothing asked meanwhile: the interval").isFalse();
    }

    @Test
    void twoNodesClaimingAtOnceGetTheMailboxOnce() throws Exception {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Claim>>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String node = "node-" + i;
                Callable<List<Claim>> claim = () -> {
                    start.await();
                    return claimAll(node);
                };
                results.add(pool.submit(claim));
            }
            start.countDown();
            List<Claim> mine = new ArrayList<>();
            for (Future<List<Claim>> f : results) {
                f.get(30, TimeUnit.SECONDS).stream().filter(c -> c.lease().mailboxId() == mailbox).forEach(mine::add);
            }
            assertThat(mine).hasSize(1);
            ScheduleRecord s = schedule.find(mailbox).orElseThrow();
            assertThat(s.leaseHeld()).isTrue();
            assertThat(s.leaseOwner()).isEqualTo(mine.get(0).lease().owner());
            assertThat(s.leaseEpoch()).isEqualTo(mine.get(0).lease().epoch());
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimAll("late-node")).noneMatch(c -> c.lease().mailboxId() == mailbox);
    }

    @Test
    void anExpiredLeaseLetsAnotherNodeClaimAndFencesTheFirst() throws Exception {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        Duration shortTtl = Duration.ofMillis(300);
        Lease first = schedule.claim("node-a", ClaimKind.REGULAR, 1000, shortTtl).stream()
                .filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow().lease();
        FolderRecord inbox = folder("INBOX");
        assertThat(schedule.claim("node-b", ClaimKind.REGULAR, 1000, shortTtl))
                .noneMatch(c -> c.lease().mailboxId() == mailbox);

        Lease second = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            second = schedule.claim("node-b", ClaimKind.REGULAR, 1000, TTL).stream()
                    .filter(c -> c.lease().mailboxId() == mailbox).findFirst().map(Claim::lease).orElse(null);
        }
        assertThat(second).as("node-b claims once node-a's lease expired").isNotNull();
        assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
        Lease lost = first;
        assertThatThrownBy(() -> messages.write(batch(lost, 0, inbox, 7, draft(1, "a@x", "A", T0))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(schedule.heartbeat(first)).isFalse();
        assertThat(messages.write(batch(second, 0, inbox, 7, draft(1, "a@x", "A", T0))).storedIds()).hasSize(1);
    }

    @Test
    void aRunWhoseNodeDiedEndsInterruptedWhenTheNextRunStarts() throws Exception {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        Lease first = schedule.claim("node-a", ClaimKind.REGULAR, 1000, Duration.ofMillis(300)).stream()
                .filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow().lease();
        long died = runs.start(first, SyncTrigger.MANUAL);
        // node-a dies: it neither finishes the run nor releases the lease
        assertThat(runs.history(mailbox, 10)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isNull();
            assertThat(r.finishedAt()).isNull();
        });

        Lease second = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (second == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            second = schedule.claim("node-b", ClaimKind.REGULAR, 1000, TTL).stream()
                    .filter(c -> c.lease().mailboxId() == mailbox).findFirst().map(Claim::lease).orElse(null);
        }
        assertThat(second).as("node-b claims once node-a's lease expired").isNotNull();
        long next = runs.start(second, SyncTrigger.SCHEDULED);

        List<SyncRun> history = runs.history(mailbox, 10);
        assertThat(history).extracting(SyncRun::id).containsExactly(next, died);
        SyncRun running = history.get(0);
        SyncRun interrupted = history.get(1);
        assertThat(running.outcome()).isNull();
        assertThat(running.finishedAt()).isNull();
        assertThat(interrupted.outcome()).isEqualTo(SyncOutcome.INTERRUPTED);
        assertThat(interrupted.node()).isEqualTo("node-a");
        assertThat(interrupted.finishedAt()).isNotNull().isAfterOrEqualTo(interrupted.startedAt())
                .isBeforeOrEqualTo(running.startedAt());
        assertThat(interrupted.error()).contains("node-a").contains("node-b").contains("never recorded its end");

        // a run that recorded its end keeps it when the next one starts
        runs.finish(next, SyncOutcome.SUCCEEDED, null, 20);
        assertThat(schedule.release(second, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofHours(1), 0, false))).isTrue();
        Lease third = schedule.claimMailbox("node-a", mailbox, ClaimKind.REGULAR, TTL).orElseThrow().lease();
        long last = runs.start(third, SyncTrigger.MANUAL);
        List<SyncRun> after = runs.history(mailbox, 10);
        assertThat(after).extracting(SyncRun::id).containsExactly(last, next, died);
        assertThat(after.get(1).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(after.get(1).error()).isNull();
        assertThat(after.get(2)).isEqualTo(interrupted);
    }

    @Test
    void aHeartbeatKeepsTheLeaseFromOthers() throws Exception {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        Duration shortTtl = Duration.ofSeconds(3);
        Lease lease = schedule.claim("node-a", ClaimKind.REGULAR, 1000, shortTtl).stream()
                .filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow().lease();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(800);
            assertThat(schedule.heartbeat(lease)).isTrue();
            assertThat(schedule.claim("node-b", ClaimKind.REGULAR, 1000, TTL)).noneMatch(c -> c.lease().mailboxId() == mailbox);
        }
    }

    @Test
    void syncNowMakesTheMailboxDueWithTriggerManualAndBackfillIsClaimedApart() {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        Lease lease = claimLease("node-a");
        schedule.release(lease, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofHours(1), 0, true));
        assertThat(schedule.find(mailbox).orElseThrow().due()).isFalse();

        List<Claim> backfill = schedule.claim("node-a", ClaimKind.BACKFILL, 1000, TTL);
        Claim b = backfill.stream().filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow();
        assertThat(b.trigger()).isEqualTo(SyncTrigger.BACKFILL);
        assertThat(schedule.find(mailbox).orElseThrow().leaseKind()).isEqualTo(ClaimKind.BACKFILL);
        schedule.release(b.lease(), new RunEnd(SyncOutcome.SUCCEEDED, null, null, 0, false));
        ScheduleRecord afterBackfill = schedule.find(mailbox).orElseThrow();
        assertThat(afterBackfill.due()).as("a backfill leaves the regular schedule alone").isFalse();
        assertThat(afterBackfill.backfillPending()).isFalse();

        schedule.requestRun(mailbox, tenant, SyncTrigger.MANUAL);
        ScheduleRecord queued = schedule.find(mailbox).orElseThrow();
        assertThat(queued.due()).isTrue();
        assertThat(queued.pendingTrigger()).isEqualTo("MANUAL");
        Claim manual = claimAll("node-b").stream().filter(c -> c.lease().mailboxId() == mailbox).findFirst().orElseThrow();
        assertThat(manual.trigger()).isEqualTo(SyncTrigger.MANUAL);
        assertThat(schedule.find(mailbox).orElseThrow().pendingTrigger()).isNull();
    }

    @Test
    void aMailboxCanBeClaimedWhenNotDueButNotWhileAnotherNodeHoldsIt() {
        Lease first = claimLease("node-a");
        schedule.release(first, new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofHours(1), 0, false));

        Claim claim = schedule.claimMailbox("node-b", mailbox, ClaimKind.REGULAR, TTL).orElseThrow();
        assertThat(claim.lease().epoch()).isEqualTo(first.epoch() + 1);
        assertThat(claim.trigger()).isEqualTo(SyncTrigger.SCHEDULED);
        assertThat(schedule.claimMailbox("node-c", mailbox, ClaimKind.REGULAR, TTL)).isEmpty();
        assertThat(schedule.claimMailbox("node-c", newMailbox(tenant), ClaimKind.REGULAR, TTL)).as("no schedule row").isEmpty();
    }

    @Test
    void inactiveMailboxesAreNotClaimed() {
        schedule.ensureScheduled(List.of(new ScheduleTarget(mailbox, tenant, Duration.ofMinutes(10))));
        db.execute("UPDATE mailbox SET state = 'INACTIVE', active_address_key = NULL WHERE id = " + mailbox);
        assertThat(claimAll("node-a")).noneMatch(c -> c.lease().mailboxId() == mailbox);
    }

    @Test
    void progressIsSavedUnderTheLeaseAndClearedOnRelease() {
        Lease lease = claimLease("node-a");
        long run = runs.start(lease, SyncTrigger.MANUAL);
        SyncProgress p = new SyncProgress(1, 3, "Sent", 40, 120, T0, "node-a");
        assertThat(schedule.saveProgress(lease, p)).isTrue();

        ScheduleRecord running = schedule.find(mailbox).orElseThrow();
        assertThat(running.leaseHeld()).isTrue();
        assertThat(running.runId()).isEqualTo(run);
        assertThat(running.lastStartedAt()).isNotNull();
        assertThat(running.progress()).isEqualTo(p);

        schedule.release(lease, new RunEnd(SyncOutcome.FAILED, "IMAP fetch failed", Duration.ofMinutes(2), 3, false));
        ScheduleRecord done = schedule.find(mailbox).orElseThrow();
        assertThat(done.progress()).isNull();
        assertThat(done.failures()).isEqualTo(3);
        assertThat(done.lastError()).isEqualTo("IMAP fetch failed");
        assertThat(done.lastFinishedAt()).isNotNull();
    }

    @Test
    void aParentArrivingAfterItsChildrenMergesTheirThreads() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        // two replies to a parent we have not seen, in separate batches, then the parent, then a stranger
        long c1 = messages.write(batch(lease, 0, inbox, 7, draft(2, "child1@x", "Re: Plan", T0.plusSeconds(60), "parent@x")))
                .storedIds().get(0);
        long c2 = messages.write(batch(lease, 0, inbox, 7, draft(3, "child2@x", "Re: Plan", T0.plusSeconds(120), "root@x")))
                .storedIds().get(0);
        assertThat(messages.find(c1).orElseThrow().summary().threadId())
                .isNotEqualTo(messages.find(c2).orElseThrow().summary().threadId());
        long parent = messages.write(batch(lease, 0, inbox, 7, draft(1, "parent@x", "Plan", T0, "root@x")))
                .storedIds().get(0);
        long other = messages.write(batch(lease, 0, inbox, 7, draft(4, "other@x", "Other", T0))).storedIds().get(0);

        long thread = messages.find(parent).orElseThrow().summary().threadId();
        assertThat(messages.find(c1).orElseThrow().summary().threadId()).isEqualTo(thread);
        assertThat(messages.find(c2).orElseThrow().summary().threadId()).isEqualTo(thread);
        assertThat(messages.find(other).orElseThrow().summary().threadId()).isNotEqualTo(thread);
        assertThat(messages.thread(thread)).extracting(MessageRecord::id).containsExactly(parent, c1, c2);
    }

    @Test
    void aReplyInTheSameBatchAsItsParentJoinsItsThread() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        BatchResult r = messages.write(batch(lease, 0, inbox, 7, draft(2, "reply@x", "Re: Hi", T0.plusSeconds(5), "hi@x"),
                draft(1, "hi@x", "Hi", T0)));
        assertThat(r.storedIds()).hasSize(2);
        assertThat(messages.find(r.storedIds().get(0)).orElseThrow().summary().threadId())
                .isEqualTo(messages.find(r.storedIds().get(1)).orElseThrow().summary().threadId());
    }

    @Test
    void aUidValidityChangeKeepsRecordIdsAndRewritesLocations() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        BatchResult stored = messages.write(batch(lease, 0, inbox, 7, draft(1, "a@x", "A", T0), draft(2, "b@x", "B", T0),
                draft(3, null, "no id", T0)));
        long a = messages.findByMessageIdHeader(mailbox, "a@x").orElseThrow();
        long b = messages.findByMessageIdHeader(mailbox, "<b@x>").orElseThrow();

        // after the change: b and the message without Message-ID at new UIDs, a is gone, one is new
        FolderCheckpoint cp = folders.find(inbox.id()).orElseThrow().checkpoint().withServer(8L, 20L, null, 3, T0)
                .withHighUid(null).withLowUid(null).withCompleteSince(null);
        assertThat(messages.remapBegin(lease, inbox.id(), 8)).as("locations removed").isEqualTo(3);
        assertThat(messages.remapChunk(lease, inbox.id(), 8, List.of(
                new RemapEntry(10, "b@x", null, Set.of("\\Flagged"), null),
                new RemapEntry(11, null, "fp-no id", Set.of(), null),
                new RemapEntry(12, "new@x", null, Set.of(), null)))).as("matched").isEqualTo(2);
        folders.saveCheckpoint(lease, inbox.id(), cp);

        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox")).isEqualTo(3);
        assertThat(messages.find(b).orElseThrow().locations()).extracting(MessageLocation::uidValidity, MessageLocation::uid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8L, 10L));
        assertThat(messages.find(b).orElseThrow().locations().get(0).flags()).containsExactly("\\Flagged");
        MessageDetail gone = messages.find(a).orElseThrow();
        assertThat(gone.locations()).isEmpty();
        assertThat(gone.summary().deletedOnServer()).isTrue();
        assertThat(gone.text()).as("text stays in the CRM").contains("Hello A");
        assertThat(stored.storedIds()).contains(a, b);
        FolderRecord after = folders.find(inbox.id()).orElseThrow();
        assertThat(after.uidValidity()).isEqualTo(8L);
        assertThat(after.highUid()).isNull();
        assertThat(folders.locatedUids(inbox.id(), 1, 100)).containsExactly(10L, 11L);
    }

    @Test
    void aUidValidityChangeTakenAChunkAtATimeIsConsistentAtEveryCommitAndCanStartOver() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        FolderRecord archive = folder("Archive");
        messages.write(batch(lease, 0, inbox, 7, draft(1, "a@x", "A", T0), draft(2, "b@x", "B", T0),
                draft(3, "c@x", "C", T0), draft(4, "both@x", "Both", T0)));
        messages.write(batch(lease, 0, archive, 3, draft(9, "both@x", "Both", T0)));
        messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(), List.of(), List.of(),
                List.of(new QuarantineDraft("INBOX", 7, 5, "cannot parse", 5)), List.of(), null));
        FolderCheckpoint before = folders.find(inbox.id()).orElseThrow().checkpoint();
        long a = messages.findByMessageIdHeader(mailbox, "a@x").orElseThrow();
        long b = messages.findByMessageIdHeader(mailbox, "b@x").orElseThrow();
        long both = messages.findByMessageIdHeader(mailbox, "both@x").orElseThrow();

        assertThat(messages.remapBegin(lease, inbox.id(), 8)).as("locations removed").isEqualTo(4);
        // every record without a location is marked deleted on the server; one still in Archive is not
        assertThat(messages.find(a).orElseThrow().summary().deletedOnServer()).isTrue();
        assertThat(messages.find(both).orElseThrow().summary().deletedOnServer()).isFalse();
        assertThat(folders.locations(inbox.id())).isEmpty();
        assertThat(stores.quarantine().list(mailbox)).as("the old UIDVALIDITY's entries go").isEmpty();
        assertThat(folders.find(inbox.id()).orElseThrow().checkpoint()).as("the checkpoint stays").isEqualTo(before);

        assertThat(messages.remapChunk(lease, inbox.id(), 8, List.of(new RemapEntry(20, "b@x", null, Set.of("\\Seen"), 3L),
                new RemapEntry(21, "new@x", null, Set.of(), null)))).isEqualTo(1);
        assertThat(messages.find(b).orElseThrow().summary().deletedOnServer()).as("matched: on the server again").isFalse();
        assertThat(messages.find(b).orElseThrow().locations()).extracting(MessageLocation::uidValidity, MessageLocation::uid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8L, 20L));

        // the run stops here; the next one starts over (its first chunk differs: the server moved on meanwhile)
        assertThat(messages.remapBegin(lease, inbox.id(), 8)).as("the new location of the stopped run").isEqualTo(1);
        assertThat(messages.find(b).orElseThrow().summary().deletedOnServer()).isTrue();
        assertThat(messages.remapChunk(lease, inbox.id(), 8, List.of(new RemapEntry(30, "a@x", null, Set.of(), null),
                new RemapEntry(31, "b@x", null, Set.of(), null)))).isEqualTo(2);
        assertThat(messages.remapChunk(lease, inbox.id(), 8, List.of(new RemapEntry(32, "both@x", null, Set.of(), null))))
                .isEqualTo(1);

        assertThat(folders.locations(inbox.id())).extracting(LocationRecord::uid).containsExactly(30L, 31L, 32L);
        assertThat(messages.find(both).orElseThrow().locations()).hasSize(2);
        long c = messages.findByMessageIdHeader(mailbox, "c@x").orElseThrow();
        assertThat(messages.find(c).orElseThrow().summary().deletedOnServer()).as("never matched again").isTrue();
        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox")).as("no record added").isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = :mailbox AND ((m.deleted_on_server = TRUE AND"
                + " EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = m.id)) OR (m.deleted_on_server = FALSE AND"
                + " NOT EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = m.id)))"))
                .as("deleted exactly when located nowhere").isZero();

        Lease stale = new Lease(lease.mailboxId(), lease.owner(), lease.epoch() - 1, TTL);
        assertThatThrownBy(() -> messages.remapBegin(stale, inbox.id(), 9)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> messages.remapChunk(stale, inbox.id(), 9, List.of(new RemapEntry(40, "c@x", null, Set.of(), null))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(folders.locations(inbox.id())).as("nothing written under a stale lease").extracting(LocationRecord::uid)
                .containsExactly(30L, 31L, 32L);
    }

    @Test
    void expungesRemoveLocationsKeepTheMessageAndFlagChangesAreWritten() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        FolderRecord archive = folder("Archive");
        long both = messages.write(batch(lease, 0, inbox, 7, draft(1, "both@x", "Both", T0), draft(2, "one@x", "One", T0)))
                .storedIds().get(0);
        messages.write(batch(lease, 0, archive, 3, draft(5, "both@x", "Both", T0)));
        long one = messages.findByMessageIdHeader(mailbox, "one@x").orElseThrow();

        BatchResult r = messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(),
                List.of(new FlagUpdate(1, Set.of("\\Seen", "\\Flagged"), 44L)), List.of(2L), List.of(), List.of(), null));

        assertThat(r.expunged()).isEqualTo(1);
        assertThat(r.flagChanges()).isEqualTo(1);
        assertThat(messages.find(one).orElseThrow().summary().deletedOnServer()).isTrue();
        assertThat(messages.find(both).orElseThrow().summary().deletedOnServer()).isFalse();
        assertThat(folders.locations(inbox.id())).containsExactly(new LocationRecord(1, both, Set.of("\\Seen", "\\Flagged"), 44L));

        // moved back: found at a new UID, no longer deleted
        messages.write(batch(lease, 0, archive, 3, draft(6, "one@x", "One", T0)));
        assertThat(messages.find(one).orElseThrow().summary().deletedOnServer()).isFalse();
    }

    @Test
    void aRefusedValueRollsBackTheWholeBatch() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        String constraint = "poison_" + mailbox;
        db.execute("ALTER TABLE message ADD CONSTRAINT " + constraint + " CHECK (subject <> 'POISON')");
        try {
            Map<String, Long> before = counts();
            assertThatThrownBy(() -> messages.write(batch(lease, 0, inbox, 7, draft(1, "fine@x", "Fine", T0),
                    draft(2, "poison@x", "POISON", T0)))).isInstanceOf(DataRejectedException.class);
            assertThat(counts()).isEqualTo(before);
            assertThat(folders.find(inbox.id()).orElseThrow().highUid()).isNull();
        } finally {
            db.execute("ALTER TABLE message DROP CONSTRAINT " + constraint);
        }
    }

    @Test
    void quarantineCountsAttemptsGivesUpAndCanBeRetried() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        QuarantineDraft q = new QuarantineDraft("INBOX", 7, 42, "value refused", 2);
        messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(), List.of(), List.of(), List.of(q), List.of(), null));
        assertThat(quarantine.retryable(mailbox, "INBOX", 7)).extracting(QuarantinedMessage::attempts).containsExactly(1);
        messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(), List.of(), List.of(), List.of(q), List.of(), null));

        List<QuarantinedMessage> listed = quarantine.list(mailbox);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).attempts()).isEqualTo(2);
        assertThat(listed.get(0).givenUp()).isTrue();
        assertThat(listed.get(0).error()).isEqualTo("value refused");
        assertThat(quarantine.retryable(mailbox, "INBOX", 7)).isEmpty();
        assertThat(quarantine.listByTenant(tenant)).hasSize(1);
        assertThat(quarantine.listByTenant(TenantId.of("other"))).isEmpty();

        assertThat(quarantine.retryAll(mailbox)).isEqualTo(1);
        assertThat(quarantine.retryable(mailbox, "INBOX", 7)).hasSize(1);
        messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(draft(42, "q@x", "Q", T0)), List.of(), List.of(),
                List.of(), List.of(42L), null));
        assertThat(quarantine.count(mailbox)).isZero();
    }

    @Test
    void aVoidedFolderLosesItsQuarantineEntriesUnderEveryUidValidity() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        FolderRecord sentFolder = folders.open(mailbox, "Sent", "SENT");
        // entries of an older UIDVALIDITY (the folder was emptied and refilled), of the current one, and of another folder
        for (long uidValidity : new long[] {6, 7}) {
            messages.write(new MessageBatch(lease, 0, inbox.id(), uidValidity, List.of(), List.of(), List.of(),
                    List.of(new QuarantineDraft("INBOX", uidValidity, 42, "value refused", 3)), List.of(), null));
        }
        messages.write(new MessageBatch(lease, 0, sentFolder.id(), 9, List.of(), List.of(), List.of(),
                List.of(new QuarantineDraft("Sent", 9, 5, "value refused", 3)), List.of(), null));
        assertThat(quarantine.count(mailbox)).isEqualTo(3);

        FolderCheckpoint voided = new FolderCheckpoint(0L, null, null, null, null, 0, null, null);
        messages.write(new MessageBatch(lease, 0, inbox.id(), 7, List.of(), List.of(), List.of(), List.of(), List.of(), voided));

        assertThat(quarantine.list(mailbox)).singleElement().satisfies(q -> assertThat(q.folder()).isEqualTo("Sent"));
        assertThat(folders.find(inbox.id()).orElseThrow().uidValidity()).isZero();
    }

    @Test
    void runHistoryKeepsTheLastRunsWithTheirCounters() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long run = runs.start(lease, i == 0 ? SyncTrigger.MANUAL : SyncTrigger.SCHEDULED);
            ids.add(run);
            messages.write(batch(lease, run, inbox, 7, draft(i + 1, "m" + i + "@x", "M", T0)));
            runs.finish(run, i == 3 ? SyncOutcome.FAILED : SyncOutcome.SUCCEEDED, i == 3 ? "broken" : null, 3);
        }
        List<SyncRun> history = runs.history(mailbox, 10);
        assertThat(history).extracting(SyncRun::id).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(history.get(0).outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(history.get(0).error()).isEqualTo("broken");
        assertThat(history.get(0).node()).isEqualTo("node-a");
        assertThat(history.get(0).finishedAt()).isNotNull();
        assertThat(history).allSatisfy(r -> assertThat(r.messagesStored()).isEqualTo(1));
        assertThat(runs.history(mailbox, 1)).hasSize(1);
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsNewestFirstWithACursorAndByFolder() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        FolderRecord sentFolder = folders.open(mailbox, "Sent", "SENT");
        List<MessageDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            drafts.add(draft(i + 1, "m" + i + "@x", "Message " + i, T0.plusSeconds(i == 5 ? 300 : i * 60L)));
        }
        messages.write(MessageBatch.of(lease, 0, inbox.id(), 7, drafts, null));
        messages.write(batch(lease, 0, sentFolder, 9, sent(draft(1, "s@x", "Sent one", T0.plusSeconds(30)))));

        List<Long> seen = new ArrayList<>();
        MessageCursor cursor = null;
        do {
            MessageListing page = messages.list(new MessageFilter(List.of(mailbox), null, cursor, 3));
            page.messages().forEach(m -> seen.add(m.id()));
            cursor = page.next() == null ? null : MessageCursor.parse(page.next().token());
        } while (cursor != null);
        List<String> subjects = seen.stream().map(id -> messages.find(id).orElseThrow().summary().subject()).toList();
        assertThat(subjects).containsExactly("Message 6", "Message 5", "Message 4", "Message 3", "Message 2", "Message 1",
                "Sent one", "Message 0");

        MessageListing sentOnly = messages.list(new MessageFilter(List.of(mailbox), "Sent", null, 10));
        assertThat(sentOnly.messages()).extracting(MessageRecord::subject).containsExactly("Sent one");
        assertThat(sentOnly.next()).isNull();
        MessageRecord r = sentOnly.messages().get(0);
        assertThat(r.direction()).isEqualTo(Direction.SENT);
        assertThat(r.from()).isEqualTo(new Correspondent("Bob Sender", "bob@example.com"));
        assertThat(r.to()).containsExactly(new Correspondent("Anna", "Anna@Example.com"), new Correspondent("", "team@example.com"));
        assertThat(r.flags()).containsExactly("\\Seen");
        assertThat(r.folders()).containsExactly("Sent");
        assertThat(r.hasAttachments()).isTrue();
        assertThat(r.preview()).isEqualTo("Hello Sent one body text");
        assertThat(r.tenant()).isEqualTo(tenant);
        assertThat(messages.list(new MessageFilter(List.of(), null, null, 10)).messages()).isEmpty();
        assertThat(messages.count(mailbox)).isEqualTo(8);
    }

    @Test
    void findReturnsEverythingAndAttachmentsByIndex() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        MessageDraft d = draft(5, "full@x", "Full", T0, "older@x", "parent@x");
        long id = messages.write(batch(lease, 0, inbox, 7, d)).storedIds().get(0);

        MessageDetail m = messages.find(id).orElseThrow();
        assertThat(m.summary().messageIdHeader()).isEqualTo("full@x");
        assertThat(m.summary().date()).isEqualTo(T0);
        assertThat(m.summary().size()).isEqualTo(1234);
        assertThat(m.addresses(AddressKind.CC)).containsExactly(new Correspondent("Carol", "carol@example.com"));
        assertThat(m.addresses(AddressKind.TO)).hasSize(2);
        assertThat(m.inReplyTo()).containsExactly("parent@x");
        assertThat(m.references()).containsExactly("older@x", "parent@x");
        assertThat(m.text()).isEqualTo("Hello Full\n\nbody text");
        assertThat(m.html()).isEqualTo("<p>Hello</p>");
        assertThat(m.attachments()).containsExactly(d.attachments().get(0));
        assertThat(messages.attachment(id, 1)).contains(d.attachments().get(0));
        assertThat(messages.attachment(id, 2)).isEmpty();
        assertThat(messages.locations(id)).containsExactly(new MessageLocation(inbox.id(), "INBOX", 7, 5, Set.of("\\Seen")));
        assertThat(messages.find(id + 1_000_000)).isEmpty();
        assertThat(messages.findByMessageIdHeader(mailbox, "unknown@x")).isEmpty();
        assertThat(messages.findByMessageIdHeader(newMailbox(tenant), "full@x")).as("other mailbox").isEmpty();
    }

    @Test
    void longAndNulValuesAreCutNotRefused() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        String longId = "x".repeat(2000) + "@example.com";
        MessageDraft d = new MessageDraft(1, Set.of(), null, longId, "fp", Direction.RECEIVED, "S\0ubject " + "y".repeat(9000),
                null, List.of(new MessageAddress(AddressKind.FROM, "n".repeat(3000), "a".repeat(3000))), null, null, 1, null,
                null, List.of(longId), List.of(), "text\0with nul", null, List.of(), Set.of("BAD_DATE"));
        long id = messages.write(batch(lease, 0, inbox, 7, d)).storedIds().get(0);
        MessageDetail m = messages.find(id).orElseThrow();
        assertThat(m.summary().subject()).startsWith("Subject yyy").hasSize(4000);
        assertThat(m.text()).isEqualTo("textwith nul");
        assertThat(m.summary().problems()).containsExactly("BAD_DATE");
        assertThat(m.summary().date()).as("no date: the time it was stored").isNotNull();
        assertThat(messages.findByMessageIdHeader(mailbox, longId)).contains(id);
    }

    @Test
    void foldersKeepTheirCheckpointAndCountStoredMessages() {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        assertThat(folders.open(mailbox, "INBOX", null).id()).isEqualTo(inbox.id());
        FolderCheckpoint cp = new FolderCheckpoint(7L, 30L, 29L, 3L, 99L, 25, T0, T0.plusSeconds(5));
        folders.saveCheckpoint(lease, inbox.id(), cp);
        messages.write(MessageBatch.of(lease, 0, inbox.id(), 7, List.of(draft(29, "z@x", "Z", T0)), null));
        folders.recordError(inbox.id(), "IMAP fetch failed");

        FolderRecord f = folders.list(mailbox).get(0);
        assertThat(f.checkpoint()).isEqualTo(cp);
        assertThat(f.messagesStored()).isEqualTo(1);
        assertThat(folders.find(inbox.id()).orElseThrow().messagesStored()).as("not counted where the sync reads it").isEqualTo(-1);
        assertThat(f.lastError()).isEqualTo("IMAP fetch failed");
        assertThat(folders.open(mailbox, "Sent", "SENT").specialUse()).isEqualTo("SENT");
        assertThat(folders.locatedUids(inbox.id(), 1, 28)).isEmpty();
        assertThat(folders.locatedUids(inbox.id(), 1, 29)).containsExactly(29L);
        assertThat(folders.locations(inbox.id(), List.of(30L, 29L, 5L))).extracting(LocationRecord::uid).containsExactly(29L);
        assertThat(folders.locations(inbox.id(), List.of())).isEmpty();
    }

    @Test
    void aFolderIsReadAPageAtATimeByUid() {
        Lease lease = claimLease("node-a");
        long run = runs.start(lease, SyncTrigger.SCHEDULED);
        FolderRecord inbox = folder("INBOX");
        FolderRecord sent = folder("Sent");
        assertThat(folders.highestLocatedUid(inbox.id())).as("no location yet").isZero();
        assertThat(folders.locations(inbox.id(), 0, Long.MAX_VALUE, 10)).isEmpty();
        messages.write(batch(lease, run, inbox, 7, draft(3, "a@x", "A", T0), draft(9, "b@x", "B", T0),
                draft(4, "c@x", "C", T0), draft(20, "d@x", "D", T0), draft(12, "e@x", "E", T0)));
        messages.write(batch(lease, run, sent, 7, draft(50, "f@x", "F", T0)));

        assertThat(folders.locations(inbox.id(), 0, Long.MAX_VALUE, 2)).extracting(LocationRecord::uid).containsExactly(3L, 4L);
        assertThat(folders.locations(inbox.id(), 4, Long.MAX_VALUE, 2)).extracting(LocationRecord::uid).containsExactly(9L, 12L);
        assertThat(folders.locations(inbox.id(), 12, Long.MAX_VALUE, 2)).extracting(LocationRecord::uid).containsExactly(20L);
        assertThat(folders.locations(inbox.id(), 20, Long.MAX_VALUE, 2)).isEmpty();
        assertThat(folders.locations(inbox.id(), 3, 12, 10)).as("after 3, through 12").extracting(LocationRecord::uid)
                .containsExactly(4L, 9L, 12L);
        assertThat(folders.locations(inbox.id(), 0, Long.MAX_VALUE, 10)).as("the same records as the whole list")
                .isEqualTo(folders.locations(inbox.id()));
        assertThat(folders.highestLocatedUid(inbox.id())).isEqualTo(20);
        assertThat(folders.highestLocatedUid(sent.id())).as("per folder").isEqualTo(50);
        assertThatThrownBy(() -> folders.locations(inbox.id(), 0, 10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be at least 1");
    }

    @Test
    void statsForTheMailboxListComeFromTheSync() {
        assertThat(stores.mailboxes().stats(mailbox)).isEqualTo(MailboxStats.EMPTY);
        Lease lease = claimLease("node-a");
        long run = runs.start(lease, SyncTrigger.SCHEDULED);
        messages.write(batch(lease, run, folder("INBOX"), 7, draft(1, "a@x", "A", T0), draft(2, "b@x", "B", T0)));
        schedule.release(lease, new RunEnd(SyncOutcome.FAILED, "IMAP login failed", Duration.ofMinutes(10), 1, false));

        MailboxStats stats = stores.mailboxes().stats(mailbox);
        assertThat(stats.messagesDownloaded()).isEqualTo(2);
        assertThat(stats.messagesAssigned()).isZero();
        assertThat(stats.lastSyncStarted()).isNotNull();
        assertThat(stats.lastSyncFinished()).isNotNull();
        assertThat(stats.lastSyncError()).isEqualTo("IMAP login failed");
    }

    @Test
    void deletingAMailboxRemovesItsMessagesAndSchedule() {
        Lease lease = claimLease("node-a");
        messages.write(batch(lease, runs.start(lease, SyncTrigger.SCHEDULED), folder("INBOX"), 7, draft(1, "a@x", "A", T0)));
        assertThat(stores.mailboxes().delete(mailbox)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox")).isZero();
        assertThat(count("SELECT COUNT(*) FROM sync_schedule WHERE mailbox_id = :mailbox")).isZero();
        assertThat(count("SELECT COUNT(*) FROM folder_state WHERE mailbox_id = :mailbox")).isZero();
        assertThat(schedule.find(mailbox)).isEmpty();
    }

    @Test
    void nodesReportThatTheyAreAlive() {
        schedule.nodeAlive("node-x");
        schedule.nodeAlive("node-x");
        assertThat(db.queryForLong("SELECT COUNT(*) FROM postroom_node WHERE node_id = 'node-x' AND last_seen IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void cursorsRoundTripAndRefuseGarbage() {
        MessageCursor c = new MessageCursor(Instant.parse("2026-01-02T03:04:05.123456789Z"), 42);
        assertThat(MessageCursor.parse(c.token())).isEqualTo(c);
        for (String bad : new String[] {null, "", "abc", "1.2", "1.2.3.4", "zz.-1.3"}) {
            assertThatThrownBy(() -> MessageCursor.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
