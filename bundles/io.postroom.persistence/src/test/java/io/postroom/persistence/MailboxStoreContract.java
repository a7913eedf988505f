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
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
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
 * What every {@link MailboxStore} must do, run once per database (subclasses name it). Each test
 * uses a tenant of its own, so tests share one database per class without seeing each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MailboxStoreContract {
    static final List<String> TABLES = List.of("mailbox", "mailbox_share", "mailbox_allowed_sender", "mailbox_folder",
            "mailbox_verification", "postroom_user");
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456Z");

    TestDatabase db;
    Stores stores;
    MailboxStore store;
    TenantId tenant;
    final UserId alice = UserId.of("alice");
    final UserId bob = UserId.of("bob");
    final UserId carol = UserId.of("carol");

    abstract DatabaseKind kind();

    @BeforeAll
    void openDatabase() {
        db = TestDatabases.create(kind());
        stores = Stores.open(db.dataSource());
        store = stores.mailboxes();
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
    void newTenant() {
        tenant = TenantId.of("t-" + UUID.randomUUID());
    }

    // --- fixtures

    static MailboxSettings settings(AccessLevel access, Set<UserId> shared, List<String> folders) {
        return new MailboxSettings("Alice Example", "{{first_name}} {{last_name}}", access, shared,
                MessageVisibility.OWNER_AND_MANAGERS, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DAYS_14, folders);
    }

    MailboxDraft draft(UserId owner, String address) {
        return draft(tenant, owner, address, settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX", "Sent")));
    }

    static MailboxDraft draft(TenantId tenant, UserId owner, String address, MailboxSettings settings) {
        return new MailboxDraft(tenant, owner, EmailAddress.of(address), "custom", address, "v1:sealed-" + address,
                new Endpoint("imap.example.com", 993, Security.SSL), new Endpoint("smtp.example.com", 587, Security.STARTTLS),
                settings, T0);
    }

    List<UserLimit> unlimited(UserId... users) {
        List<UserLimit> limits = new ArrayList<>();
        for (UserId u : users) {
            limits.add(new UserLimit(u, Integer.MAX_VALUE));
        }
        return limits;
    }

    Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String t : TABLES) {
            counts.put(t, db.count(t));
        }
        return counts;
    }

    // --- create and read

    @Test
    void createThenFindReturnsEverythingStored() {
        MailboxSettings s = new MailboxSettings("Alice <Sales>", "Sales {{first_name}}", AccessLevel.SHARED, Set.of(bob, carol),
                MessageVisibility.EVERYONE, true, Set.of(bob), false, KeepPolicy.RECEIVED, SyncPeriod.MONTHS_3,
                List.of("INBOX", "[Gmail]/Sent Mail", "Archive/2026"));
        MailboxRecord created = store.create(draft(tenant, alice, "Alice.Sales@Example.COM", s), unlimited(alice, bob, carol));

        assertThat(created.id()).isPositive();
        MailboxRecord found = store.find(created.id()).orElseThrow();
        assertThat(found).isEqualTo(created);
        assertThat(found.tenant()).isEqualTo(tenant);
        assertThat(found.owner()).isEqualTo(alice);
        assertThat(found.address().value()).isEqualTo("Alice.Sales@example.com");
        assertThat(found.username()).isEqualTo("Alice.Sales@Example.COM");
        assertThat(found.sealedPassword()).isEqualTo("v1:sealed-Alice.Sales@Example.COM");
        assertThat(found.imap()).isEqualTo(new Endpoint("imap.example.com", 993, Security.SSL));
        assertThat(found.smtp()).isEqualTo(new Endpoint("smtp.example.com", 587, Security.STARTTLS));
        assertThat(found.settings()).isEqualTo(s);
        assertThat(found.settings().folders()).containsExactly("INBOX", "[Gmail]/Sent Mail", "Archive/2026");
        assertThat(found.state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(found.verified()).isFalse();
        assertThat(found.consecutiveFailures()).isZero();
        assertThat(found.lastFailure()).isNull();
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.updatedAt()).isEqualTo(T0);
        assertThat(found.toString()).doesNotContain("sealed");
    }

    @Test
    void idsComeFromTheSequenceAndAreDistinct() {
        MailboxRecord a = store.create(draft(alice, "a@example.com"), List.of());
        MailboxRecord b = store.create(draft(alice, "b@example.com"), List.of());
        assertThat(a.id()).isPositive();
        assertThat(b.id()).isPositive().isNotEqualTo(a.id());
    }

    @Test
    void findOfUnknownIdIsEmpty() {
        assertThat(store.find(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void listsByMembershipTenantAndState() {
        MailboxRecord own = store.create(draft(alice, "b-own@example.com"), List.of());
        MailboxRecord shared = store.create(draft(tenant, carol, "a-shared@example.com",
                settings(AccessLevel.SHARED, Set.of(alice, bob), List.of("INBOX"))), List.of());
        MailboxRecord other = store.create(draft(bob, "c-other@example.com"), List.of());
        TenantId elsewhere = TenantId.of("other-" + UUID.randomUUID());
        MailboxRecord foreign = store.create(draft(elsewhere, alice, "b-own@example.com",
                settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX"))), List.of());

        assertThat(store.listOwnedOrSharedWith(tenant, alice)).extracting(MailboxRecord::id)
                .containsExactly(shared.id(), own.id());
        assertThat(store.listOwnedOrSharedWith(tenant, bob)).extracting(MailboxRecord::id)
                .containsExactly(shared.id(), other.id());
        assertThat(store.listByTenant(tenant)).extracting(MailboxRecord::id)
                .containsExactly(shared.id(), own.id(), other.id());
        assertThat(store.listByTenant(elsewhere)).extracting(MailboxRecord::id).containsExactly(foreign.id());

        store.update(own.withState(MailboxState.INACTIVE, "paused"), List.of(), false, T0);
        assertThat(store.listActive()).extracting(MailboxRecord::id)
                .contains(shared.id(), other.id(), foreign.id())
                .doesNotContain(own.id());
        assertThat(store.listOwnedOrSharedWith(tenant, alice)).extracting(MailboxRecord::id).contains(own.id());
    }

    @Test
    void findActiveByAddressIgnoresCaseAndInactiveMailboxes() {
        MailboxRecord m = store.create(draft(alice, "Info@Example.com"), List.of());
        assertThat(store.findActiveByAddress(tenant, EmailAddress.of("info@EXAMPLE.com"))).map(MailboxRecord::id).contains(m.id());
        store.update(m.withState(MailboxState.INACTIVE, "x"), List.of(), false, T0);
        assertThat(store.findActiveByAddress(tenant, EmailAddress.of("info@example.com"))).isEmpty();
    }

    // --- unique active address

    @Test
    void duplicateActiveAddressIsRefusedAndNothingIsSaved() {
        store.create(draft(alice, "team@example.com"), List.of());
        Map<String, Long> before = counts();

        assertThatThrownBy(() -> store.create(draft(bob, "TEAM@example.com"), unlimited(bob)))
                .isInstanceOfSatisfying(DuplicateAddressException.class,
                        e -> assertThat(e.address().key()).isEqualTo("team@example.com"));
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void sameAddressIsAllowedInOtherTenantsAndBesideInactiveMailboxes() {
        MailboxRecord first = store.create(draft(alice, "team@example.com"), List.of());
        store.create(draft(TenantId.of("other-" + UUID.randomUUID()), alice, "team@example.com",
                settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX"))), List.of());
        store.update(first.withState(MailboxState.INACTIVE, "moved"), List.of(), false, T0);

        MailboxRecord second = store.create(draft(bob, "team@example.com"), List.of());

        assertThat(second.active()).isTrue();
        MailboxRecord inactive = store.find(first.id()).orElseThrow();
        assertThatThrownBy(() -> store.update(inactive.withState(MailboxState.ACTIVE, null), List.of(), false, T0))
                .isInstanceOf(DuplicateAddressException.class);
        assertThat(store.find(first.id()).orElseThrow().state()).isEqualTo(MailboxState.INACTIVE);
    }

    @Test
    void theDatabaseItselfRefusesASecondActiveAddress() {
        MailboxRecord m = store.create(draft(alice, "raw@example.com"), List.of());
        String copy = "INSERT INTO mailbox SELECT id + 1000000, row_version, tenant_id, owner_id, address, address_key,"
                + " active_address_key, preset, username, sealed_password, imap_host, imap_port, imap_security, smtp_host,"
                + " smtp_port, smtp_security, sender_name, name_template, access_level, visibility, private_messages,"
                + " crm_linking, keep_policy, sync_period, state, inactive_reason, verified, consecutive_failures,"
                + " last_failure, created_at, updated_at FROM mailbox WHERE id = " + m.id();
        long before = db.count("mailbox");

        assertThatThrownBy(() -> db.execute(copy)).isInstanceOf(IllegalStateException.class);
        assertThat(db.count("mailbox")).isEqualTo(before);
        // the check keeps active_address_key in step with the state
        assertThatThrownBy(() -> db.execute(copy.replace("active_address_key, preset", "NULL, preset")))
                .isInstanceOf(IllegalStateException.class);
        // an inactive copy (active_address_key NULL) is fine
        db.execute(copy.replace("active_address_key, preset", "NULL, preset")
                .replace("state, inactive_reason", "'INACTIVE', 'copy'"));
        assertThat(db.count("mailbox")).isEqualTo(before + 1);
    }

    // --- plan limits

    @Test
    void limitIsCheckedWithTheNewMailboxAndNothingIsSavedOverIt() {
        store.create(draft(alice, "one@example.com"), List.of(new UserLimit(alice, 1)));
        Map<String, Long> before = counts();

        assertThatThrownBy(() -> store.create(draft(alice, "two@example.com"), List.of(new UserLimit(alice, 1))))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.user()).isEqualTo(alice);
                    assertThat(e.count()).isEqualTo(2);
                    assertThat(e.limit()).isEqualTo(1);
                });
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void sharesCountAgainstEachUserTheyAreGrantedTo() {
        store.create(draft(bob, "bob@example.com"), List.of());
        assertThat(store.countCountedAgainst(tenant, bob)).isEqualTo(1);
        Map<String, Long> before = counts();

        MailboxDraft shared = draft(tenant, alice, "shared@example.com",
                settings(AccessLevel.SHARED, Set.of(bob), List.of("INBOX")));
        assertThatThrownBy(() -> store.create(shared, List.of(new UserLimit(alice, 3), new UserLimit(bob, 1))))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.user()).isEqualTo(bob));
        assertThat(counts()).isEqualTo(before);

        MailboxRecord m = store.create(shared, List.of(new UserLimit(alice, 3), new UserLimit(bob, 2)));
        assertThat(store.countCountedAgainst(tenant, bob)).isEqualTo(2);
        assertThat(store.countCountedAgainst(tenant, alice)).isEqualTo(1);
        assertThat(store.countCountedAgainst(tenant, carol)).isZero();

        // adding carol to the share is checked against carol's limit
        MailboxRecord withCarol = m.withSettings(settings(AccessLevel.SHARED, Set.of(bob, carol), List.of("INBOX")));
        assertThatThrownBy(() -> store.update(withCarol, List.of(new UserLimit(carol, 0)), false, T0))
                .isInstanceOf(LimitExceededException.class);
        assertThat(store.find(m.id()).orElseThrow().settings().sharedWith()).containsExactly(bob);

        // inactive mailboxes do not count
        store.update(m.withState(MailboxState.INACTIVE, "paused"), List.of(), false, T0);
        assertThat(store.countCountedAgainst(tenant, bob)).isEqualTo(1);
    }

    @Test
    void twoConcurrentCreatesCannotBothPassTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                UserId owner = UserId.of("racer-" + round);
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Object>> racers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    MailboxDraft d = draft(tenant, owner, "race" + round + "-" + i + "@example.com",
                            settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX")));
                    racers.add(() -> {
                        start.await();
                        try {
                            return store.create(d, List.of(new UserLimit(owner, 1)));
                        } catch (LimitExceededException e) {
                            return e;
                        }
                    });
                }
                List<Future<Object>> results = new ArrayList<>();
                for (Callable<Object> r : racers) {
                    results.add(pool.submit(r));
                }
                start.countDown();
                List<Object> outcomes = new ArrayList<>();
                for (Future<Object> f : results) {
                    outcomes.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn(MailboxRecord.class::isInstance).hasSize(1);
                assertThat(outcomes).filteredOn(LimitExceededException.class::isInstance).hasSize(1);
                assertThat(store.countCountedAgainst(tenant, owner)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoConcurrentCreatesOfOneAddressLeaveOneMailbox() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (UserId owner : List.of(alice, bob)) {
                MailboxDraft d = draft(owner, "same@example.com");
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return store.create(d, unlimited(owner));
                    } catch (DuplicateAddressException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : results) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn(MailboxRecord.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(DuplicateAddressException.class::isInstance).hasSize(1);
            assertThat(store.listByTenant(tenant)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // --- updates

    @Test
    void updateWritesTheChangeAndBumpsTheVersion() {
        MailboxRecord m = store.create(draft(alice, "u@example.com"), List.of());
        MailboxSettings s = new MailboxSettings("New Name", "{{last_name}}", AccessLevel.SHARED, Set.of(carol),
                MessageVisibility.OWNER_ONLY, true, Set.of(carol), false, KeepPolicy.SENT, SyncPeriod.YEAR_1,
                List.of("Sent", "INBOX", "Archive"));
        MailboxRecord changed = m.withSettings(s)
                .withConnection("login", "v1:other", new Endpoint("imap2.example.com", 143, Security.STARTTLS),
                        new Endpoint("smtp2.example.com", 465, Security.SSL))
                .withVerified(true);

        MailboxRecord saved = store.update(changed, unlimited(carol), false, T0.plusSeconds(60));

        assertThat(saved.version()).isGreaterThan(m.version());
        MailboxRecord found = store.find(m.id()).orElseThrow();
        assertThat(found).isEqualTo(saved);
        assertThat(found.settings()).isEqualTo(s);
        assertThat(found.settings().folders()).containsExactly("Sent", "INBOX", "Archive");
        assertThat(found.username()).isEqualTo("login");
        assertThat(found.sealedPassword()).isEqualTo("v1:other");
        assertThat(found.imap()).isEqualTo(new Endpoint("imap2.example.com", 143, Security.STARTTLS));
        assertThat(found.verified()).isTrue();
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(60));

        MailboxRecord back = store.update(found.withSettings(settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX"))),
                List.of(), false, T0);
        assertThat(back.settings().sharedWith()).isEmpty();
        assertThat(back.settings().allowedSenders()).isEmpty();
        assertThat(db.queryForLong("SELECT COUNT(*) FROM mailbox_share WHERE mailbox_id = " + m.id())).isZero();
    }

    @Test
    void staleVersionIsRefusedAndNothingChanges() {
        MailboxRecord m = store.create(draft(alice, "v@example.com"), List.of());
        store.update(m.withSettings(settings(AccessLevel.PERSONAL, Set.of(), List.of("INBOX", "Junk"))), List.of(), false, T0);

        assertThatThrownBy(() -> store.update(m.withState(MailboxState.INACTIVE, "stale"), List.of(), false, T0))
                .isInstanceOf(ConcurrentChangeException.class);
        MailboxRecord found = store.find(m.id()).orElseThrow();
        assertThat(found.active()).isTrue();
        assertThat(found.settings().folders()).containsExactly("INBOX", "Junk");
    }

    @Test
    void updateOfADeletedMailboxSaysSo() {
        MailboxRecord m = store.create(draft(alice, "gone@example.com"), List.of());
        assertThat(store.delete(m.id())).isTrue();
        assertThatThrownBy(() -> store.update(m, List.of(), false, T0)).isInstanceOf(RecordNotFoundException.class);
        assertThat(store.delete(m.id())).isFalse();
    }

    @Test
    void deleteRemovesEverythingOfTheMailbox() {
        Map<String, Long> before = counts();
        MailboxRecord m = store.create(draft(tenant, alice, "del@example.com", new MailboxSettings("A", "", AccessLevel.SHARED,
                Set.of(bob), MessageVisibility.EVERYONE, false, Set.of(bob), true, KeepPolicy.BOTH, SyncPeriod.DAYS_7,
                List.of("INBOX", "Sent"))), unlimited(alice, bob));
        store.replaceVerificationCode(new VerificationCode(m.id(), "hash", "salt", T0.plusSeconds(600), 0, T0));
        store.setDefaultForSending(tenant, bob, m.id());

        assertThat(store.delete(m.id())).isTrue();

        Map<String, Long> after = counts();
        after.remove("postroom_user");
        Map<String, Long> expected = new java.util.LinkedHashMap<>(before);
        expected.remove("postroom_user");
        assertThat(after).isEqualTo(expected);
        assertThat(store.defaultForSending(tenant, alice)).isEmpty();
        assertThat(store.defaultForSending(tenant, bob)).isEmpty();
        assertThat(store.findVerificationCode(m.id())).isEmpty();
    }

    // --- failure counter

    @Test
    void failuresCountUpAndTheTenthDeactivates() {
        MailboxRecord m = store.create(draft(alice, "fail@example.com"), List.of());
        FailureOutcome last = null;
        for (int i = 1; i <= 9; i++) {
            last = store.recordConnectionFailure(m.id(), "IMAP login failed " + i, 10, T0.plusSeconds(i));
            assertThat(last.deactivatedNow()).isFalse();
        }
        assertThat(last.mailbox().consecutiveFailures()).isEqualTo(9);
        assertThat(last.mailbox().lastFailure()).isEqualTo("IMAP login failed 9");
        assertThat(last.mailbox().active()).isTrue();
        assertThat(last.mailbox().version()).as("counting is no edit").isEqualTo(m.version());

        FailureOutcome tenth = store.recordConnectionFailure(m.id(), "IMAP login failed 10", 10, T0.plusSeconds(10));

        assertThat(tenth.deactivatedNow()).isTrue();
        assertThat(tenth.mailbox().state()).isEqualTo(MailboxState.INACTIVE);
        assertThat(tenth.mailbox().inactiveReason()).isEqualTo("IMAP login failed 10");
        assertThat(tenth.mailbox().version()).isGreaterThan(m.version());
        FailureOutcome eleventh = store.recordConnectionFailure(m.id(), "again", 10, T0.plusSeconds(11));
        assertThat(eleventh.deactivatedNow()).isFalse();
        assertThat(eleventh.mailbox().consecutiveFailures()).isEqualTo(11);
        // the address is free for a new active mailbox now
        assertThat(store.create(draft(bob, "fail@example.com"), List.of()).active()).isTrue();
    }

    @Test
    void successResetsTheCounterWithoutChangingTheVersion() {
        MailboxRecord m = store.create(draft(alice, "ok@example.com"), List.of());
        store.recordConnectionFailure(m.id(), "SMTP refused", 10, T0);
        store.recordConnectionFailure(m.id(), "SMTP refused", 10, T0);

        MailboxRecord after = store.recordConnectionSuccess(m.id());

        assertThat(after.consecutiveFailures()).isZero();
        assertThat(after.lastFailure()).isEqualTo("SMTP refused");
        assertThat(after.version()).isEqualTo(m.version());
        // so an edit based on the record read before still applies
        assertThat(store.update(m.withVerified(true), List.of(), false, T0).verified()).isTrue();
    }

    @Test
    void updateWithResetClearsTheCounterAndLeavesItOtherwise() {
        MailboxRecord m = store.create(draft(alice, "reset@example.com"), List.of());
        store.recordConnectionFailure(m.id(), "down", 10, T0);
        MailboxRecord kept = store.update(m.withVerified(true), List.of(), false, T0);
        assertThat(kept.consecutiveFailures()).isEqualTo(1);
        assertThat(kept.lastFailure()).isEqualTo("down");

        MailboxRecord reset = store.update(kept.withVerified(false), List.of(), true, T0);
        assertThat(reset.consecutiveFailures()).isZero();
        assertThat(reset.lastFailure()).isNull();
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        MailboxRecord m = store.create(draft(alice, "busy@example.com"), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<FailureOutcome>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> store.recordConnectionFailure(m.id(), "timeout", 10, T0)));
            }
            int deactivations = 0;
            for (Future<FailureOutcome> f : results) {
                deactivations += f.get(60, TimeUnit.SECONDS).deactivatedNow() ? 1 : 0;
            }
            assertThat(deactivations).isEqualTo(1);
            assertThat(store.find(m.id()).orElseThrow().consecutiveFailures()).isEqualTo(12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countersOfAMissingMailboxSaySo() {
        assertThatThrownBy(() -> store.recordConnectionFailure(Long.MAX_VALUE, "x", 10, T0))
                .isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> store.recordConnectionSuccess(Long.MAX_VALUE)).isInstanceOf(RecordNotFoundException.class);
    }

    // --- verification codes

    @Test
    void rightCodeVerifiesAndRemovesTheCode() {
        MailboxRecord m = store.create(draft(alice, "verify@example.com"), List.of());
        store.replaceVerificationCode(new VerificationCode(m.id(), "h1", "s1", T0.plusSeconds(1800), 0, T0));
        assertThat(store.findVerificationCode(m.id())).get()
                .satisfies(c -> {
                    assertThat(c.codeHash()).isEqualTo("h1");
                    assertThat(c.expiresAt()).isEqualTo(T0.plusSeconds(1800));
                });

        VerificationOutcome outcome = store.attemptVerification(m.id(), c -> c.codeHash().equals("h1"), 5, T0.plusSeconds(60));

        assertThat(outcome).isInstanceOfSatisfying(VerificationOutcome.Verified.class,
                v -> assertThat(v.mailbox().verified()).isTrue());
        assertThat(store.find(m.id()).orElseThrow().verified()).isTrue();
        assertThat(store.findVerificationCode(m.id())).isEmpty();
        assertThat(store.attemptVerification(m.id(), c -> true, 5, T0)).isInstanceOf(VerificationOutcome.NoCode.class);
    }

    @Test
    void wrongCodesAreCountedAndTheFifthVoidsTheCode() {
        MailboxRecord m = store.create(draft(alice, "wrong@example.com"), List.of());
        store.replaceVerificationCode(new VerificationCode(m.id(), "h", "s", T0.plusSeconds(1800), 0, T0));

        for (int left = 4; left >= 1; left--) {
            assertThat(store.attemptVerification(m.id(), c -> false, 5, T0)).isEqualTo(new VerificationOutcome.Wrong(left));
        }
        assertThat(store.attemptVerification(m.id(), c -> false, 5, T0)).isInstanceOf(VerificationOutcome.AttemptsExceeded.class);
        // even the right code no longer helps
        assertThat(store.attemptVerification(m.id(), c -> true, 5, T0)).isInstanceOf(VerificationOutcome.AttemptsExceeded.class);
        assertThat(store.find(m.id()).orElseThrow().verified()).isFalse();

        // a new code starts afresh
        store.replaceVerificationCode(new VerificationCode(m.id(), "h2", "s2", T0.plusSeconds(1800), 0, T0));
        assertThat(store.attemptVerification(m.id(), c -> c.codeHash().equals("h2"), 5, T0))
                .isInstanceOf(VerificationOutcome.Verified.class);
    }

    @Test
    void expiredCodeIsNotComparedNorCounted() {
        MailboxRecord m = store.create(draft(alice, "late@example.com"), List.of());
        store.replaceVerificationCode(new VerificationCode(m.id(), "h", "s", T0.plusSeconds(1800), 0, T0));

        assertThat(store.attemptVerification(m.id(), c -> true, 5, T0.plusSeconds(1800)))
                .isInstanceOf(VerificationOutcome.Expired.class);
        assertThat(store.findVerificationCode(m.id()).orElseThrow().failedAttempts()).isZero();
        assertThat(store.find(m.id()).orElseThrow().verified()).isFalse();
    }

    @Test
    void codesOfMissingMailboxesAreRefused() {
        Map<String, Long> before = counts();
        assertThatThrownBy(() -> store.replaceVerificationCode(
                new VerificationCode(Long.MAX_VALUE, "h", "s", T0, 0, T0))).isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> store.attemptVerification(Long.MAX_VALUE, c -> true, 5, T0))
                .isInstanceOf(RecordNotFoundException.class);
        assertThat(counts()).isEqualTo(before);
    }

    // --- default for sending

    @Test
    void firstMailboxBecomesTheOwnersDefaultAndTheUserMayChooseAnother() {
        MailboxRecord first = store.create(draft(alice, "first@example.com"), List.of());
        MailboxRecord second = store.create(draft(alice, "second@example.com"), List.of());
        assertThat(store.defaultForSending(tenant, alice)).contains(first.id());

        store.setDefaultForSending(tenant, alice, second.id());
        assertThat(store.defaultForSending(tenant, alice)).contains(second.id());

        assertThat(store.defaultForSending(tenant, carol)).isEmpty();
        assertThatThrownBy(() -> store.setDefaultForSending(TenantId.of("elsewhere"), alice, second.id()))
                .isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> store.setDefaultForSending(tenant, alice, Long.MAX_VALUE))
                .isInstanceOf(RecordNotFoundException.class);
        assertThat(store.defaultForSending(tenant, alice)).contains(second.id());
    }

    @Test
    void storeFailuresAreStoreExceptions() {
        MailboxDraft tooLong = draft(tenant, alice, "long@example.com",
                new MailboxSettings("x".repeat(500), "", AccessLevel.PERSONAL, Set.of(), MessageVisibility.OWNER_ONLY,
                        false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DAYS_14, List.of("INBOX")));
        Map<String, Long> before = counts();
        assertThatThrownBy(() -> store.create(tooLong, List.of())).isExactlyInstanceOf(StoreException.class)
                .hasMessageContaining("The database failed");
        assertThat(counts()).isEqualTo(before);
    }
}
