package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.Direction;
import io.postroom.api.message.MessageEvents;
import io.postroom.api.sync.SyncEvents;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncState;
import io.postroom.api.sync.SyncStatus;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.persistence.Claim;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageFilter;
import io.postroom.persistence.MessageRecord;
import io.postroom.persistence.RunEnd;
import io.postroom.persistence.ScheduleRecord;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.sync.RunReport;
import io.postroom.testing.greenmail.GreenMailServers;
import io.postroom.testing.host.TestHost;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functional paths against GreenMail (no CONDSTORE/QRESYNC, no SPECIAL-USE): first sync within the
 * period, incremental sync, one record per message across folders, direction and keep setting,
 * flags and expunges by scanning, {@code \Seen} untouched, threads, backfill, events, status and
 * access rules, failures. Messages are put into GreenMail's store directly (with their internal date).
 */
class GreenMailSyncTest extends SyncFixture {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final DateTimeFormatter RFC_DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    GreenMail mail;

    @BeforeAll
    void startGreenMail() {
        mail = GreenMailServers.start(GreenMailConfiguration.aConfig(), ServerSetup.PROTOCOL_IMAP);
    }

    @AfterAll
    void stopGreenMail() {
        if (mail != null) {
            mail.stop();
        }
    }

    // ------------------------------------------------------------------ fixtures

    record Account(GreenMailUser user, String address, String password) {
    }

    Account account() {
        String address = newAddress("anna");
        String password = "pw-" + UUID();
        GreenMailUser user = mail.setUser(address, address, password);
        return new Account(user, address, password);
    }

    private static String UUID() {
        return java.util.UUID.randomUUID().toString();
    }

    MailboxId mailbox(Account a, List<String> folders, SyncPeriod period, KeepPolicy keep) {
        return mailbox(a.address(), a.address(), a.password(), mail.getImap().getPort(),
                mailboxSettings(folders, period, keep, Set.of(TestHost.BOB)));
    }

    MailFolder folder(Account a, String name) {
        try {
            var manager = mail.getManagers().getImapHostManager();
            MailFolder f = manager.getFolder(a.user(), name);
            return f != null ? f : manager.createMailbox(a.user(), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String message(String messageId, String from, String subject, Instant date, String... headers) {
        StringBuilder sb = new StringBuilder();
        sb.append("From: ").append(from).append("\r\n");
        sb.append("To: Anna <anna@postroom.test>\r\n");
        sb.append("Subject: ").append(subject).append("\r\n");
        sb.append("Date: ").append(RFC_DATE.format(date.atOffset(ZoneOffset.UTC))).append("\r\n");
        if (messageId != null) {
            sb.append("Message-ID: <").append(messageId).append(">\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        sb.append("Hello, this is ").append(subject).append(".\r\n");
        return sb.toString();
    }

    long put(Account a, String folder, String raw, Instant internalDate) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            return folder(a, folder).appendMessage(m, new Flags(), Date.from(internalDate));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant daysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    MessageDetail byMessageId(MailboxId id, String messageId) {
        long m = stores.messages().findByMessageIdHeader(id.value(), messageId).orElseThrow(
                () -> new AssertionError("no record for " + messageId));
        return stores.messages().find(m).orElseThrow();
    }

    Actor actor(UserId user) {
        return new Actor(tenant, user);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theFirstSyncStoresThePeriodNewestFirstAndTheNextOneOnlyNewMail() {
        Account a = account();
        put(a, "INBOX", message("old@x", "bob@example.com", "Too old", daysAgo(20)), daysAgo(20));
        put(a, "INBOX", message("in1@x", "bob@example.com", "In 1", daysAgo(5)), daysAgo(5));
        put(a, "INBOX", message("in2@x", "bob@example.com", "In 2", daysAgo(2)), daysAgo(2));
        put(a, "INBOX", message("in3@x", "bob@example.com", "In 3", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_7, KeepPolicy.BOTH);
        Engine engine = engine(settings().withBatch(2, 1024 * 1024));

        RunReport first = engine.syncNow(id);

        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(first.trigger()).isEqualTo(SyncTrigger.MANUAL);
        assertThat(first.messagesStored()).isEqualTo(3);
        assertThat(storedMessageIds(id)).containsExactly("<in1@x>", "<in2@x>", "<in3@x>");
        // newest first: the first batch (of 2) holds the two newest
        List<long[]> batches = events.topic(MessageEvents.STORED).stream()
                .map(e -> (long[]) e.getProperty(MessageEvents.MESSAGE_IDS)).toList();
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).hasSize(2);
        assertThat(stores.messages().find(batches.get(1)[0]).orElseThrow().summary().subject()).isEqualTo("In 1");
        MessageDetail m = byMessageId(id, "in3@x");
        assertThat(m.summary().direction()).isEqualTo(Direction.RECEIVED);
        assertThat(m.text()).contains("Hello, this is In 3.");
        assertThat(m.summary().from().address()).isEqualTo("bob@example.com");
        assertThat(m.summary().folders()).containsExactly("INBOX");
        FolderRecord inbox = stores.folders().list(id.value()).get(0);
        assertThat(inbox.highUid()).isEqualTo(4);
        assertThat(inbox.completeSince()).isNotNull();

        put(a, "INBOX", message("new1@x", "bob@example.com", "New 1", daysAgo(0)), daysAgo(0));
        put(a, "INBOX", message("new2@x", "carol@example.com", "New 2", daysAgo(0)), daysAgo(0));
        RunReport second = engine.syncNow(id);

        assertThat(second.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(second.messagesStored()).isEqualTo(2);
        assertThat(storedMessageIds(id)).containsExactly("<in1@x>", "<in2@x>", "<in3@x>", "<new1@x>", "<new2@x>");
        RunReport third = engine.syncNow(id);
        assertThat(third.messagesStored()).isZero();
        assertThat(located(id, "INBOX")).hasSize(5);
        assertConsistent(id);
    }

    @Test
    void aMessageInInboxAndSentIsOneSentRecordAndOwnMailIsSent() {
        Account a = account();
        String copy = message("copy@x", "Anna <" + a.address() + ">", "To myself", daysAgo(1));
        put(a, "INBOX", copy, daysAgo(1));
        put(a, "Sent", copy, daysAgo(1));
        put(a, "Sent", message("sent@x", "Someone Else <other@example.com>", "Sent by a delegate", daysAgo(1)), daysAgo(1));
        put(a, "INBOX", message("own@x", a.address().toUpperCase(Locale.ROOT), "From my own address", daysAgo(1)), daysAgo(1));
        put(a, "INBOX", message("recv@x", "bob@example.com", "Received", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);

        RunReport r = engine().syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(messages(id)).isEqualTo(4);
        assertThat(r.locationsAdded()).isEqualTo(5);
        MessageDetail both = byMessageId(id, "copy@x");
        assertThat(both.locations()).extracting(l -> l.folder()).containsExactly("INBOX", "Sent");
        assertThat(both.summary().direction()).isEqualTo(Direction.SENT);
        assertThat(byMessageId(id, "sent@x").summary().direction()).as("in Sent: sent").isEqualTo(Direction.SENT);
        assertThat(byMessageId(id, "own@x").summary().direction()).as("from the mailbox's address").isEqualTo(Direction.SENT);
        assertThat(byMessageId(id, "recv@x").summary().direction()).isEqualTo(Direction.RECEIVED);
        assertConsistent(id);
    }

    @Test
    void theKeepSettingLeavesOutWhatItDoesNotKeep() {
        Account a = account();
        put(a, "INBOX", message("recv@x", "bob@example.com", "Received", daysAgo(1)), daysAgo(1));
        put(a, "INBOX", message("own@x", a.address(), "Own", daysAgo(1)), daysAgo(1));
        put(a, "Sent", message("sent@x", a.address(), "Sent", daysAgo(1)), daysAgo(1));
        MailboxId receivedOnly = mailbox(a, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.RECEIVED);

        RunReport r = engine().syncNow(receivedOnly);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(receivedOnly)).containsExactly("<recv@x>");
        assertThat(stores.folders().list(receivedOnly.value())).allSatisfy(f -> assertThat(f.highUid()).isNotNull());
        assertThat(engine().syncNow(receivedOnly).messagesStored()).as("skipped stays skipped").isZero();

        Account b = account();
        put(b, "INBOX", message("recv@y", "bob@example.com", "Received", daysAgo(1)), daysAgo(1));
        put(b, "Sent", message("sent@y", b.address(), "Sent", daysAgo(1)), daysAgo(1));
        MailboxId sentOnly = mailbox(b, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.SENT);
        engine().syncNow(sentOnly);
        assertThat(storedMessageIds(sentOnly)).containsExactly("<sent@y>");
    }

    @Test
    void widerKeepSettingFetchesWhatTheOldOneLeftOut() {
        Account a = account();
        put(a, "INBOX", message("recv@w", "bob@example.com", "Received", daysAgo(1)), daysAgo(1));
        put(a, "Sent", message("sent@w", a.address(), "Sent", daysAgo(2)), daysAgo(2));
        MailboxId id = mailbox(a, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.RECEIVED);
        Engine engine = engine();
        engine.syncNow(id);
        assertThat(storedMessageIds(id)).containsExactly("<recv@w>");

        // moved in from an archive after the last run: a new UID with an old date, found above the high UID as always
        put(a, "INBOX", message("moved@w", "bob@example.com", "Moved in", daysAgo(30)), daysAgo(30));
        changeSettings(id, mailboxSettings(List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
        RunReport regular = engine.syncNow(id);

        assertThat(regular.outcome()).as(regular.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).containsExactlyInAnyOrder("<recv@w>", "<moved@w>");
        assertThat(stores.schedule().find(id.value()).orElseThrow().backfillPending()).as("a pass over the period").isTrue();
        RunReport pass = engine.backfillNow(id);
        assertThat(pass.messagesStored()).as("only what was left out").isEqualTo(1);
        assertThat(storedMessageIds(id)).containsExactlyInAnyOrder("<recv@w>", "<moved@w>", "<sent@w>");
        assertConsistent(id);
        assertThat(engine.syncNow(id).messagesStored()).isZero();
        assertThat(stores.schedule().find(id.value()).orElseThrow().backfillPending()).isFalse();

        // narrower again: what is stored stays, nothing starts over
        changeSettings(id, mailboxSettings(List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.RECEIVED, Set.of()));
        assertThat(engine.syncNow(id).messagesStored()).isZero();
        assertThat(storedMessageIds(id)).containsExactlyInAnyOrder("<recv@w>", "<moved@w>", "<sent@w>");
    }

    @Test
    void flagChangesAndExpungesArePickedUpAndSeenIsNeverSet() throws Exception {
        Account a = account();
        long keep = put(a, "INBOX", message("keep@x", "bob@example.com", "Keep", daysAgo(1)), daysAgo(1));
        long gone = put(a, "INBOX", message("gone@x", "bob@example.com", "Gone", daysAgo(1)), daysAgo(1));
        put(a, "INBOX", message("plain@x", "bob@example.com", "Plain", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine();
        engine.syncNow(id);
        assertThat(byMessageId(id, "keep@x").summary().flags()).isEmpty();

        MailFolder inbox = folder(a, "INBOX");
        inbox.setFlags(new Flags(Flags.Flag.FLAGGED), true, keep, null, false);
        inbox.setFlags(new Flags("$Important"), true, keep, null, false);
        inbox.setFlags(new Flags(Flags.Flag.DELETED), true, gone, null, false);
        inbox.expunge();
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.flagChanges()).isEqualTo(1);
        assertThat(r.expunged()).isEqualTo(1);
        assertThat(byMessageId(id, "keep@x").summary().flags()).containsExactlyInAnyOrder("\\Flagged", "$Important");
        MessageDetail deleted = byMessageId(id, "gone@x");
        assertThat(deleted.summary().deletedOnServer()).isTrue();
        assertThat(deleted.locations()).isEmpty();
        assertThat(deleted.text()).as("the text stays in the CRM").contains("Hello, this is Gone.");
        assertThat(located(id, "INBOX")).hasSize(2);

        // the sync never marks anything read on the server
        for (StoredMessage m : inbox.getMessages()) {
            assertThat(m.isSet(Flags.Flag.SEEN)).as("\\Seen on " + m.getUid()).isFalse();
        }
        assertConsistent(id);
    }

    @Test
    void withoutCondstoreAFolderLargerThanAPageIsComparedAPageAtATime() throws Exception {
        Account a = account();
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            uids.add(put(a, "INBOX", message("m" + i + "@x", "bob@example.com", "M " + i, daysAgo(1)), daysAgo(1)));
        }
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        // batches of 20: pages of 500 stored messages, three for this folder
        Engine engine = engine(settings().withBatch(20, 64 * 1024));
        assertThat(engine.syncNow(id).messagesStored()).isEqualTo(1_100);

        // changes in every page and at both sides of a page's border; expunges in every page
        MailFolder inbox = folder(a, "INBOX");
        List<Long> flagged = List.of(uids.get(0), uids.get(499), uids.get(500), uids.get(1_099));
        for (long uid : flagged) {
            inbox.setFlags(new Flags(Flags.Flag.FLAGGED), true, uid, null, false);
        }
        for (int i : new int[] {250, 501, 1_098}) {
            inbox.setFlags(new Flags(Flags.Flag.DELETED), true, uids.get(i), null, false);
        }
        inbox.expunge();
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.flagChanges()).isEqualTo(4);
        assertThat(r.expunged()).isEqualTo(3);
        assertThat(located(id, "INBOX")).hasSize(1_097);
        for (int i : new int[] {0, 499, 500, 1_099}) {
            assertThat(byMessageId(id, "m" + i + "@x").summary().flags()).as("m%d", i).containsExactly("\\Flagged");
        }
        assertThat(byMessageId(id, "m1@x").summary().flags()).isEmpty();
        for (int i : new int[] {250, 501, 1_098}) {
            assertThat(byMessageId(id, "m" + i + "@x").summary().deletedOnServer()).as("m%d", i).isTrue();
        }
        assertThat(engine.syncNow(id).flagChanges()).as("nothing more").isZero();
        assertConsistent(id);
    }

    @Test
    void threadsJoinAcrossRunsWhenTheParentArrivesLater() {
        Account a = account();
        put(a, "INBOX", message("reply1@x", "bob@example.com", "Re: Plan", daysAgo(2), "In-Reply-To: <plan@x>",
                "References: <plan@x>"), daysAgo(1));
        put(a, "INBOX", message("reply2@x", "carol@example.com", "Re: Re: Plan", daysAgo(1), "In-Reply-To: <reply1@x>",
                "References: <plan@x> <reply1@x>"), daysAgo(1));
        put(a, "INBOX", message("other@x", "dan@example.com", "Other", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        folder(a, "Sent");
        Engine engine = engine();
        engine.syncNow(id);
        assertThat(byMessageId(id, "reply1@x").summary().threadId()).isEqualTo(byMessageId(id, "reply2@x").summary().threadId());

        put(a, "Sent", message("plan@x", a.address(), "Plan", daysAgo(3)), daysAgo(0));
        engine.syncNow(id);

        long thread = byMessageId(id, "plan@x").summary().threadId();
        assertThat(byMessageId(id, "reply1@x").summary().threadId()).isEqualTo(thread);
        assertThat(byMessageId(id, "reply2@x").summary().threadId()).isEqualTo(thread);
        assertThat(byMessageId(id, "other@x").summary().threadId()).isNotEqualTo(thread);
        assertThat(stores.messages().thread(thread)).extracting(MessageRecord::subject)
                .containsExactly("Plan", "Re: Plan", "Re: Re: Plan");
    }

    @Test
    void wideningThePeriodBackfillsOlderMailAtLowPriority() {
        Account a = account();
        put(a, "INBOX", message("recent@x", "bob@example.com", "Recent", daysAgo(2)), daysAgo(2));
        put(a, "INBOX", message("older@x", "bob@example.com", "Older", daysAgo(20)), daysAgo(20));
        put(a, "INBOX", message("ancient@x", "bob@example.com", "Ancient", daysAgo(200)), daysAgo(200));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_7, KeepPolicy.BOTH);
        Engine engine = engine();
        engine.syncNow(id);
        assertThat(storedMessageIds(id)).containsExactly("<recent@x>");

        changeSettings(id, mailboxSettings(List.of("INBOX"), SyncPeriod.MONTH_1, KeepPolicy.BOTH, Set.of()));
        RunReport regular = engine.syncNow(id);
        assertThat(regular.messagesStored()).as("a regular run leaves older mail to the backfill").isZero();
        ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
        assertThat(s.backfillPending()).isTrue();
        SyncStatus status = service(engine).status(actor(TestHost.ANNA), id);
        assertThat(status.folders().get(0).backfillPending()).isTrue();

        RunReport backfill = engine.backfillNow(id);

        assertThat(backfill.trigger()).isEqualTo(SyncTrigger.BACKFILL);
        assertThat(backfill.messagesStored()).isEqualTo(1);
        assertThat(storedMessageIds(id)).containsExactly("<older@x>", "<recent@x>");
        ScheduleRecord after = stores.schedule().find(id.value()).orElseThrow();
        assertThat(after.backfillPending()).isFalse();
        assertThat(after.nextDue()).as("the backfill left the regular schedule alone").isEqualTo(s.nextDue());
        assertThat(service(engine).status(actor(TestHost.ANNA), id).folders().get(0).backfillPending()).isFalse();
        assertConsistent(id);
    }

    @Test
    void aBackfillEndsWhenTheKeepSettingLeavesOutMoreThanARunsBudget() {
        Account a = account();
        put(a, "INBOX", message("recent@x", "bob@example.com", "Recent", daysAgo(2)), daysAgo(2));
        // sent mail in the inbox (from the mailbox's own address): downloaded, then left out by the keep setting
        for (int i = 0; i < 3; i++) {
            put(a, "INBOX", message("oldsent" + i + "@x", a.address(), "Old sent " + i, daysAgo(20 + i)), daysAgo(20 + i));
        }
        // old mail that arrived in the folder after the recent one (a higher UID, as when moved in from an archive)
        put(a, "INBOX", message("older@x", "bob@example.com", "Older", daysAgo(20)), daysAgo(20));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_7, KeepPolicy.RECEIVED);
        Engine engine = engine(settings().withBackfill(true, 2));
        engine.syncNow(id);
        assertThat(storedMessageIds(id)).containsExactly("<recent@x>");

        changeSettings(id, mailboxSettings(List.of("INBOX"), SyncPeriod.MONTH_1, KeepPolicy.RECEIVED, Set.of()));
        engine.syncNow(id);
        assertThat(stores.schedule().find(id.value()).orElseThrow().backfillPending()).isTrue();
        int runs = 0;
        while (stores.schedule().find(id.value()).orElseThrow().backfillPending() && runs < 5) {
            RunReport r = engine.backfillNow(id);
            assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            runs++;
        }

        // 4 older messages, 2 per run (the 3 sent ones left out by the keep setting, every time): 2 runs
        assertThat(runs).as("backfill runs until nothing is pending").isEqualTo(2);
        assertThat(storedMessageIds(id)).as("nothing kept is missing").containsExactly("<older@x>", "<recent@x>");
        assertThat(stores.folders().list(id.value())).allSatisfy(f -> assertThat(f.lowUid()).as("no pass under way").isNull());
        assertThat(service(engine).status(actor(TestHost.ANNA), id).folders()).noneMatch(f -> f.backfillPending());
        RunReport regular = engine.syncNow(id);
        assertThat(regular.messagesStored()).isZero();
        assertThat(stores.schedule().find(id.value()).orElseThrow().backfillPending()).isFalse();
        assertConsistent(id);
    }

    @Test
    void anErrorInARunEndsTheRunAndReleasesTheLease() {
        Account a = account();
        put(a, "INBOX", message("boom@x", "bob@example.com", "Boom", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_7, KeepPolicy.BOTH);
        for (Error fatal : List.of(new LinkageError("bundle refreshed under the run"), new OutOfMemoryError("Java heap space"))) {
            io.postroom.mime.MimeParser failing = (io.postroom.mime.MimeParser) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {io.postroom.mime.MimeParser.class}, (proxy, m, args) -> {
                        if (m.getName().equals("assemble")) {
                            throw fatal;
                        }
                        try {
                            return m.invoke(parser, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Engine broken = new Engine(new SyncParts(connector, mailboxes, failing, stores.messages(), stores.folders(),
                    stores.schedule(), stores.runs(), stores.quarantine(), events, java.time.Clock.systemUTC(), settings()));
            engines.add(broken);

            assertThatThrownBy(() -> broken.syncNow(id)).as("the Error reaches the caller").isSameAs(fatal);

            assertThat(broken.progress(id)).as("no run left behind on the node").isEmpty();
            ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
            assertThat(s.leaseHeld()).as("lease released").isFalse();
            assertThat(s.lastOutcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(s.lastError()).contains(fatal.getClass().getSimpleName()).contains("retried later");
            SyncRun run = service(broken).history(actor(TestHost.ANNA), id, 1).get(0);
            assertThat(run.outcome()).isEqualTo(SyncOutcome.FAILED);
            assertThat(run.finishedAt()).isNotNull();
            assertThat(messages(id)).isZero();
        }

        // the next run (any node) claims the mailbox and syncs it
        RunReport next = engine().syncNow(id);
        assertThat(next.outcome()).as(next.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).containsExactly("<boom@x>");
    }

    @Test
    void eventsHistoryStatusAndMailboxStats() {
        Account a = account();
        for (int i = 0; i < 5; i++) {
            put(a, "INBOX", message("e" + i + "@x", "bob@example.com", "E" + i, daysAgo(1)), daysAgo(1));
        }
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine(settings().withBatch(2, 1024 * 1024));
        SyncServiceImpl service = service(engine);
        java.util.concurrent.atomic.AtomicReference<SyncStatus> during = new java.util.concurrent.atomic.AtomicReference<>();
        events.onEvent(e -> {
            if (e.getTopic().equals(MessageEvents.STORED) && during.get() == null) {
                during.set(service.status(actor(TestHost.BOB), id));
            }
        });

        RunReport r = engine.syncNow(id);

        SyncStatus running = during.get();
        assertThat(running.state()).isEqualTo(SyncState.RUNNING);
        assertThat(running.progress().node()).isEqualTo("node-test");
        assertThat(running.progress().currentFolder()).isEqualTo("INBOX");
        assertThat(running.progress().foldersTotal()).isEqualTo(1);
        assertThat(running.progress().messagesDone()).isEqualTo(2);
        assertThat(running.progress().messagesEstimated()).isEqualTo(5);
        assertThat(stores.schedule().find(id.value()).orElseThrow().progress()).as("cleared after the run").isNull();
        assertThat(events.topic(MessageEvents.STORED)).hasSize(3).allSatisfy(e -> {
            assertThat(e.getProperty(MessageEvents.TENANT)).isEqualTo(tenant.value());
            assertThat(e.getProperty(MessageEvents.MAILBOX_ID)).isEqualTo(id.value());
            assertThat((Integer) e.getProperty(MessageEvents.COUNT)).isBetween(1, 2);
        });
        var completed = events.topic(SyncEvents.COMPLETED);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).getProperty(SyncEvents.RUN_ID)).isEqualTo(r.runId());
        assertThat(completed.get(0).getProperty(SyncEvents.MESSAGES_STORED)).isEqualTo(5L);
        assertThat(completed.get(0).getProperty(SyncEvents.OUTCOME)).isEqualTo("SUCCEEDED");

        List<SyncRun> history = service.history(actor(TestHost.ANNA), id, 10);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).messagesStored()).isEqualTo(5);
        assertThat(history.get(0).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(history.get(0).node()).isEqualTo("node-test");
        SyncStatus status = service.status(actor(TestHost.ANNA), id);
        assertThat(status.state()).isEqualTo(SyncState.IDLE);
        assertThat(status.messagesDownloaded()).isEqualTo(5);
        assertThat(status.nextRunAt()).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
        assertThat(status.folders()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("INBOX");
            assertThat(f.messagesOnServer()).isEqualTo(5);
            assertThat(f.messagesStored()).isEqualTo(5);
            assertThat(f.lastSyncedAt()).isNotNull();
        });
        MailboxStats stats = stores.mailboxes().stats(id.value());
        assertThat(stats.messagesDownloaded()).isEqualTo(5);
        assertThat(stats.lastSyncFinished()).isNotNull();
        assertThat(stats.lastSyncError()).isNull();
    }

    @Test
    void theSchedulerSyncsActiveMailboxesByItselfAndSyncNowQueuesARun() throws Exception {
        Account a = account();
        put(a, "INBOX", message("s1@x", "bob@example.com", "S1", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine();
        SyncServiceImpl service = service(engine);
        engine.start();

        awaitRuns(service, id, 1);
        assertThat(storedMessageIds(id)).contains("<s1@x>");
        assertThat(service.history(actor(TestHost.ANNA), id, 5).get(0).trigger()).isEqualTo(SyncTrigger.SCHEDULED);

        put(a, "INBOX", message("s2@x", "bob@example.com", "S2", daysAgo(0)), daysAgo(0));
        SyncStatus queued = service.syncNow(actor(TestHost.BOB), id);
        assertThat(queued.state()).isIn(SyncState.QUEUED, SyncState.RUNNING, SyncState.IDLE);
        awaitRuns(service, id, 2);
        assertThat(service.history(actor(TestHost.ANNA), id, 5).get(0).trigger()).isEqualTo(SyncTrigger.MANUAL);
        assertThat(storedMessageIds(id)).contains("<s1@x>", "<s2@x>");
    }

    private void awaitRuns(SyncServiceImpl service, MailboxId id, int runs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<SyncRun> h = service.history(actor(TestHost.ANNA), id, 10);
            if (h.size() >= runs && h.get(0).finishedAt() != null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + runs + " finished runs in 30 s");
    }

    @Test
    void onlyTheOwnerSharedUsersAndAdminsSeeTheSync() {
        Account a = account();
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine();
        SyncServiceImpl service = service(engine);
        engine.syncNow(id);

        for (UserId allowed : List.of(TestHost.ANNA, TestHost.BOB, TestHost.DAVE)) {
            assertThat(service.status(actor(allowed), id).mailbox()).isEqualTo(id);
            assertThat(service.history(actor(allowed), id, 5)).hasSize(1);
            assertThat(service.quarantine(actor(allowed), id)).isEmpty();
        }
        long runs = db.count("sync_run");
        for (Runnable call : List.<Runnable>of(() -> service.status(actor(TestHost.CAROL), id),
                () -> service.syncNow(actor(TestHost.CAROL), id),
                () -> service.history(actor(TestHost.CAROL), id, 5),
                () -> service.quarantine(actor(TestHost.CAROL), id),
                () -> service.retryQuarantined(actor(TestHost.CAROL), id),
                () -> service.status(new Actor(host.newTenant("other-" + UUID()), TestHost.DAVE), id),
                () -> service.status(actor(TestHost.ANNA), MailboxId.of(id.value() + 100_000)))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(PostroomException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MAILBOX_NOT_FOUND);
                assertThat(e.getMessage()).contains("no mailbox");
            });
        }
        assertThat(stores.schedule().find(id.value()).orElseThrow().due()).as("Carol's sync now changed nothing").isFalse();
        assertThatThrownBy(() -> service.quarantine(actor(TestHost.ANNA))).isInstanceOfSatisfying(PostroomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        assertThat(service.quarantine(actor(TestHost.DAVE))).isEmpty();
        assertThatThrownBy(() -> service.status(actor(UserId.of("mallory")), id)).isInstanceOfSatisfying(
                PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
        assertThatThrownBy(() -> service.status(null, id)).isInstanceOfSatisfying(PostroomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        for (int limit : new int[] {0, 101}) {
            assertThatThrownBy(() -> service.history(actor(TestHost.ANNA), id, limit)).isInstanceOfSatisfying(
                    PostroomException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.details()).containsEntry("field", "limit");
                    });
        }
        assertThat(db.count("sync_run")).isEqualTo(runs);
    }

    @Test
    void syncNowRefusesARunningOrInactiveMailbox() {
        Account a = account();
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine();
        SyncServiceImpl service = service(engine);
        engine.syncNow(id);

        // another node holds the lease
        Claim other = stores.schedule().claimMailbox("node-other", id.value(), ClaimKind.REGULAR, Duration.ofMinutes(5))
                .orElseThrow();
        assertThatThrownBy(() -> service.syncNow(actor(TestHost.ANNA), id)).isInstanceOfSatisfying(PostroomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNC_ALREADY_RUNNING));
        assertThatThrownBy(() -> engine.syncNow(id)).isInstanceOfSatisfying(PostroomException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SYNC_ALREADY_RUNNING);
            assertThat(e.getMessage()).contains("node-other");
        });
        assertThat(service.status(actor(TestHost.ANNA), id).state()).isEqualTo(SyncState.RUNNING);
        stores.schedule().release(other.lease(), new RunEnd(SyncOutcome.SUCCEEDED, null, Duration.ofHours(1), 0, false));

        stores.mailboxes().update(record(id).withState(io.postroom.api.mailbox.MailboxState.INACTIVE, "closed"), List.of(),
                false, Instant.now());
        assertThatThrownBy(() -> service.syncNow(actor(TestHost.ANNA), id)).isInstanceOfSatisfying(PostroomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MAILBOX_INACTIVE));
        assertThat(service.status(actor(TestHost.ANNA), id).state()).isEqualTo(SyncState.INACTIVE);
        assertThat(stores.schedule().find(id.value()).orElseThrow().due()).isFalse();
    }

    /** About 3.2 MB of header lines: far beyond the 1 MiB the sync reads of a header. */
    static String filler() {
        return String.join("\r\n", java.util.Collections.nCopies(40_000, "X-Filler: " + "0123456789".repeat(7)));
    }

    @Test
    void aMessageWithAMultiMegabyteHeaderIsStoredCutAndFlaggedAndTheFolderGoesOn() {
        Account a = account();
        String hugeWithoutId = message(null, "carol@example.com", "Huge, no Message-ID", daysAgo(1), filler());
        long before = put(a, "INBOX", message("before@x", "bob@example.com", "Before", daysAgo(3)), daysAgo(3));
        long huge = put(a, "INBOX", message("huge@x", "bob@example.com", "Huge header", daysAgo(2), filler()), daysAgo(2));
        long noId = put(a, "INBOX", hugeWithoutId, daysAgo(1));
        long after = put(a, "INBOX", message("after@x", "bob@example.com", "After", daysAgo(0)), daysAgo(0));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine();

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(4);
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        expected.put(before, "<before@x>");
        expected.put(huge, "<huge@x>");
        expected.put(noId, null);
        expected.put(after, "<after@x>");
        assertThat(located(id, "INBOX")).as("exactly the server's messages").isEqualTo(expected);
        MessageDetail m = byMessageId(id, "huge@x");
        assertThat(m.summary().problems()).contains("TRUNCATED_HEADER");
        assertThat(m.summary().subject()).isEqualTo("Huge header");
        assertThat(m.summary().from().address()).isEqualTo("bob@example.com");
        assertThat(m.text()).contains("Hello, this is Huge header.");
        for (String other : List.of("before@x", "after@x")) {
            assertThat(byMessageId(id, other).summary().problems()).doesNotContain("TRUNCATED_HEADER");
        }
        long noIdRecord = db.queryForLong("SELECT id FROM message WHERE message_id_hdr IS NULL AND mailbox_id = " + id.value());
        assertThat(stores.messages().find(noIdRecord).orElseThrow().summary().problems()).contains("TRUNCATED_HEADER");
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertConsistent(id);

        // its fingerprint comes from the same first bytes at every fetch: the same message in a second folder
        // is the same record, and a run with nothing new stores nothing
        put(a, "Archive", hugeWithoutId, daysAgo(1));
        changeSettings(id, mailboxSettings(List.of("INBOX", "Archive"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
        RunReport second = engine.syncNow(id);

        assertThat(second.outcome()).as(second.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(second.messagesStored()).isZero();
        assertThat(second.locationsAdded()).isEqualTo(1);
        assertThat(messages(id)).isEqualTo(4);
        assertThat(stores.messages().find(noIdRecord).orElseThrow().summary().folders()).containsExactlyInAnyOrder("INBOX", "Archive");
        assertThat(engine.syncNow(id).messagesStored()).isZero();
        assertConsistent(id);
    }

    /**
     * A response limit of 256 KiB lets one command's answer hold 1 MiB: a text batch of the default
     * 8 MiB (batchKilobytes) would ask 1.8 MB of text in one command and fail every run of the folder
     * as a protocol failure. The sync keeps each batch within half of what an answer may hold, whatever
     * batchKilobytes says: the whole folder is stored, texts complete, nothing quarantined.
     */
    @Test
    void textBatchesStayWellInsideWhatOneAnswerMayHoldWhateverBatchKilobytesSays() {
        Account a = account();
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        for (int i = 1; i <= 14; i++) {
            expected.put(put(a, "INBOX", plainMessage("plain" + i + "@x", 100_000), daysAgo(1)), "<plain" + i + "@x>");
        }
        for (int i = 1; i <= 6; i++) {
            expected.put(put(a, "INBOX", alternativeMessage("alt" + i + "@x", 30_000), daysAgo(1)), "<alt" + i + "@x>");
        }
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(256 * 1024));
        Engine engine = engine(settings().withBatch(200, 8L << 20), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(20);
        assertThat(located(id, "INBOX")).as("exactly the server's messages").isEqualTo(expected);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        MessageDetail plain = byMessageId(id, "plain7@x");
        assertThat(plain.text()).contains("plain7@x line 1 ").contains("plain7@x, the end.");
        assertThat(plain.summary().problems()).isEmpty();
        MessageDetail alternative = byMessageId(id, "alt3@x");
        assertThat(alternative.text()).contains("alt3@x line 1 ").contains("alt3@x, the end.");
        assertThat(alternative.html()).contains("alt3@x line 1 ").contains("alt3@x, the end.");
        // several batches of at most half of 1 MiB of text each, not one of 8 MiB
        assertThat(events.topic(MessageEvents.STORED)).hasSizeGreaterThanOrEqualTo(4);
        assertConsistent(id);
    }

    /**
     * At the smallest response limit that may be configured (maxResponseMegabytes 1) a message's
     * text, one FETCH response, may hold at most 1 MiB: a message with four text parts of about 1 MB
     * each and one with a plain and an HTML part of 900 KB each would ask for 4 MB and 1.8 MB, and
     * failed every run of the folder. They are stored with the beginning of each part, flagged
     * TRUNCATED_TEXT, none quarantined; the run succeeds and the folder's other messages are complete.
     */
    @Test
    void aMessageWhoseTextExceedsOneResponseIsStoredCutAndFlaggedAndTheFolderGoesOn() {
        Account a = account();
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        expected.put(put(a, "INBOX", plainMessage("before@x", 300_000), daysAgo(2)), "<before@x>");
        expected.put(put(a, "INBOX", mixedMessage("four@x", 4, 1_000_000), daysAgo(1)), "<four@x>");
        expected.put(put(a, "INBOX", alternativeMessage("big-alt@x", 900_000), daysAgo(1)), "<big-alt@x>");
        expected.put(put(a, "INBOX", alternativeMessage("after@x", 200_000), daysAgo(1)), "<after@x>");
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(1 << 20));
        Engine engine = engine(settings(), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(4);
        assertThat(located(id, "INBOX")).as("exactly the server's messages").isEqualTo(expected);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        MessageDetail four = byMessageId(id, "four@x");
        assertThat(four.summary().problems()).contains("TRUNCATED_TEXT");
        for (int part = 1; part <= 4; part++) {
            assertThat(four.text()).contains("four@x-" + part + " line 1 ").contains("four@x-" + part + " line 2000 ")
                    .doesNotContain("four@x-" + part + ", the end.");
        }
        MessageDetail big = byMessageId(id, "big-alt@x");
        assertThat(big.summary().problems()).contains("TRUNCATED_TEXT");
        assertThat(big.text()).contains("big-alt@x line 4000 ").doesNotContain("big-alt@x, the end.");
        assertThat(big.html()).contains("big-alt@x line 4000 ").doesNotContain("big-alt@x, the end.");
        for (String complete : List.of("before@x", "after@x")) {
            MessageDetail m = byMessageId(id, complete);
            assertThat(m.summary().problems()).as(complete).isEmpty();
            assertThat(m.text()).contains(complete + ", the end.");
        }
        assertThat(byMessageId(id, "after@x").html()).contains("after@x, the end.");
        RunReport again = engine.syncNow(id);
        assertThat(again.outcome()).as(again.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(again.messagesStored()).isZero();
        assertConsistent(id);
    }

    /**
     * At a response limit of 64 KiB (the least a connector may be configured with) a message's text
     * parts need more framing than one response has room for beside them: that one message is
     * quarantined with what to do, the others are stored and the run succeeds.
     */
    @Test
    void aMessageWhoseTextPartsCannotBeFramedInOneResponseIsQuarantinedAndTheFolderGoesOn() {
        Account a = account();
        put(a, "INBOX", plainMessage("fine@x", 1_000), daysAgo(1));
        put(a, "INBOX", mixedMessage("many@x", 120, 10), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));

        RunReport r = engine(settings(), bounded).syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(r.error()).contains("1 messages could not be stored and are in quarantine");
        assertThat(r.messagesStored()).isEqualTo(1);
        assertThat(byMessageId(id, "fine@x").text()).contains("fine@x, the end.");
        assertThat(stores.messages().findByMessageIdHeader(id.value(), "many@x")).as("nothing of it stored").isEmpty();
        assertThat(stores.quarantine().list(id.value())).singleElement().satisfies(q -> assertThat(q.error())
                .contains("120 parts").contains("one IMAP response").contains("raise maxResponseMegabytes"));
        assertConsistent(id);
    }

    /**
     * A UID SEARCH answer is one response. At a response limit of 64 KiB one answer holds about
     * 6,000 UIDs of ten digits: a folder of 6,500 messages (UIDs from 1,000,000,000, as on long-lived
     * servers) failed every run at its first search. The search goes over UID ranges that each fit;
     * here the Sent folder of a mailbox that keeps received mail only, so that nothing of it is
     * downloaded (GreenMail answers a FETCH in a folder that large slowly; DovecotSyncTest downloads
     * such a folder whole).
     */
    @Test
    void aFolderWhoseUidsExceedOneSearchResponseIsSearchedInRanges() throws Exception {
        Account a = account();
        put(a, "INBOX", message("in@x", "bob@example.com", "In", daysAgo(1)), daysAgo(1));
        MailFolder sent = folder(a, "Sent");
        // GreenMail numbers from 1; its next UID is set as if the folder had a long history
        java.lang.reflect.Field nextUid = sent.getClass().getDeclaredField("nextUid");
        nextUid.setAccessible(true);
        ((java.util.concurrent.atomic.AtomicLong) nextUid.get(sent)).set(1_000_000_000L);
        long last = 0;
        for (int i = 0; i < 6_500; i++) {
            last = put(a, "Sent", "From: " + a.address() + "\r\nMessage-ID: <s" + i + "@x>\r\n\r\nHi\r\n", daysAgo(1));
        }
        MailboxId id = mailbox(a, List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, KeepPolicy.RECEIVED);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));

        RunReport r = engine(settings(), bounded).syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(1);
        assertThat(located(id, "INBOX").values()).containsExactly("<in@x>");
        assertThat(located(id, "Sent")).as("the keep setting").isEmpty();
        FolderRecord sentState = stores.folders().list(id.value()).stream().filter(f -> f.name().equals("Sent"))
                .findFirst().orElseThrow();
        assertThat(sentState.highUid()).as("the whole folder searched").isEqualTo(last);
        assertConsistent(id);
    }

    /**
     * At a response limit of 64 KiB one answer may hold 256 KiB, about 400 FLAGS responses: the
     * flags of a page of 600 stored messages in one command (after a change to every message), and
     * the Message-IDs of 600 messages in one command (after the folder was made again with a new
     * UIDVALIDITY), failed every run. Both go in commands sized to the answer: after each, the CRM
     * holds exactly the server's messages, with their flags, the same records.
     */
    @Test
    void aChangeToEveryMessageAndANewUidValidityCompleteAtASmallResponseLimit() throws Exception {
        Account a = account();
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            raw.add(message(i % 10 == 0 ? null : "r" + i + "@x", "bob@example.com", "R " + i, daysAgo(1)));
        }
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        List<Long> firstUids = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            firstUids.add(put(a, "Archive", raw.get(i), daysAgo(1)));
            expected.put(firstUids.get(i), i % 10 == 0 ? null : "<r" + i + "@x>");
        }
        MailboxId id = mailbox(a, List.of("Archive"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));
        // batches of 25: pages of 625 stored messages
        Engine engine = engine(settings().withBatch(25, 64 * 1024), bounded);
        RunReport first = engine.syncNow(id);
        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        // the record of each message, by its place in raw
        java.util.Map<Long, Long> recordByUid = new java.util.HashMap<>();
        stores.folders().locations(stores.folders().list(id.value()).get(0).id())
                .forEach(l -> recordByUid.put(l.uid(), l.messageId()));

        MailFolder archive = folder(a, "Archive");
        for (long uid : expected.keySet()) {
            archive.setFlags(new Flags(Flags.Flag.SEEN), true, uid, null, false);
        }
        RunReport flagged = engine.syncNow(id);

        assertThat(flagged.outcome()).as(flagged.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(flagged.flagChanges()).isEqualTo(600);
        assertThat(located(id, "Archive")).isEqualTo(expected);
        FolderRecord before = stores.folders().list(id.value()).get(0);
        assertThat(stores.folders().locations(before.id())).allSatisfy(l -> assertThat(l.flags()).containsExactly("\\Seen"));

        // the folder made again: a new UIDVALIDITY, the same messages under new UIDs, in reverse order
        var manager = mail.getManagers().getImapHostManager();
        manager.renameMailbox(a.user(), "Archive", "Archive-old");
        MailFolder again = manager.createMailbox(a.user(), "Archive");
        while (again.getUidValidity() == before.uidValidity()) {
            Thread.sleep(200); // GreenMail's UIDVALIDITY is the second the folder was made
            manager.renameMailbox(a.user(), "Archive", "Archive-" + System.nanoTime());
            again = manager.createMailbox(a.user(), "Archive");
        }
        java.util.Map<Long, String> remade = new java.util.TreeMap<>();
        java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        for (int i = raw.size() - 1; i >= 0; i--) {
            long uid = put(a, "Archive", raw.get(i), daysAgo(1));
            again.setFlags(new Flags(Flags.Flag.SEEN), true, uid, null, false);
            remade.put(uid, i % 10 == 0 ? null : "<r" + i + "@x>");
            index.put(uid, i);
        }
        RunReport remap = engine.syncNow(id);

        assertThat(remap.outcome()).as(remap.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(remap.messagesStored()).as("all matched again").isZero();
        assertThat(located(id, "Archive")).isEqualTo(remade);
        FolderRecord after = stores.folders().list(id.value()).get(0);
        assertThat(after.uidValidity()).isEqualTo(again.getUidValidity());
        assertThat(messages(id)).as("no record twice").isEqualTo(600);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        stores.folders().locations(after.id()).forEach(l -> {
            assertThat(l.messageId()).as("the same record").isEqualTo(recordByUid.get(firstUids.get(index.get(l.uid()))));
            assertThat(l.flags()).containsExactly("\\Seen");
        });
        assertConsistent(id);
    }

    @Test
    void aRefusedPasswordIsClassifiedCountedAndTenDeactivateTheMailbox() {
        Account a = account();
        MailboxId id = mailbox(a.address(), a.address(), "wrong-password", mail.getImap().getPort(),
                mailboxSettings(List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
        Engine engine = engine();

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.FAILED);
        assertThat(r.failure().kind()).isEqualTo(ConnectionFailure.Kind.AUTHENTICATION);
        assertThat(r.error()).contains("password").doesNotContain("wrong-password");
        assertThat(record(id).consecutiveFailures()).isEqualTo(1);
        ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.nextDue()).as("not transient: the plan's interval, no quick retries")
                .isAfter(Instant.now().plus(Duration.ofMinutes(9)));
        var failed = events.topic(SyncEvents.FAILED);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getProperty(SyncEvents.FAILURE_KIND)).isEqualTo("AUTHENTICATION");
        assertThat(messages(id)).isZero();

        for (int i = 2; i <= 10; i++) {
            assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.FAILED);
        }
        assertThat(record(id).active()).isFalse();
        assertThat(record(id).inactiveReason()).contains("refused the user name or password");
        assertThatThrownBy(() -> engine.syncNow(id)).isInstanceOfSatisfying(PostroomException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MAILBOX_INACTIVE));

        // fixed: active again with the right password, and the sync works
        stores.mailboxes().update(record(id).withState(io.postroom.api.mailbox.MailboxState.ACTIVE, null), List.of(),
                true, Instant.now());
        changePassword(id, a.password());
        assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(record(id).consecutiveFailures()).isZero();
    }

    @Test
    void aFolderThatIsGoneIsAFolderErrorAndTheOthersStillSync() {
        Account a = account();
        put(a, "INBOX", message("fine@x", "bob@example.com", "Fine", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("Deleted Projects", "INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);

        RunReport r = engine().syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(r.error()).contains("Deleted Projects").contains("not on the server");
        assertThat(storedMessageIds(id)).containsExactly("<fine@x>");
        FolderRecord gone = stores.folders().list(id.value()).stream().filter(f -> f.name().equals("Deleted Projects"))
                .findFirst().orElseThrow();
        assertThat(gone.lastError()).contains("not on the server");
        assertThat(record(id).consecutiveFailures()).as("not a connection failure").isZero();
    }

    @Test
    void aMessageTheDatabaseRefusesIsQuarantinedRetriedABoundedNumberOfTimesAndByAnOperator() {
        Account a = account();
        put(a, "INBOX", message("fine1@x", "bob@example.com", "Fine 1", daysAgo(3)), daysAgo(3));
        long poison = put(a, "INBOX", message("poison@x", "bob@example.com", "POISON", daysAgo(2)), daysAgo(2));
        put(a, "INBOX", message("fine2@x", "bob@example.com", "Fine 2", daysAgo(1)), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine(settings().withQuarantineAttempts(3));
        SyncServiceImpl service = service(engine);
        db.execute("ALTER TABLE message ADD CONSTRAINT poison_ck CHECK (subject IS NULL OR subject <> 'POISON')");
        try {
            RunReport first = engine.syncNow(id);

            assertThat(first.outcome()).isEqualTo(SyncOutcome.PARTIAL);
            assertThat(first.quarantined()).isEqualTo(1);
            assertThat(first.error()).contains("quarantine");
            assertThat(storedMessageIds(id)).as("the folder went on").containsExactly("<fine1@x>", "<fine2@x>");
            var entry = service.quarantine(actor(TestHost.ANNA), id);
            assertThat(entry).singleElement().satisfies(q -> {
                assertThat(q.folder()).isEqualTo("INBOX");
                assertThat(q.uid()).isEqualTo(poison);
                assertThat(q.attempts()).isEqualTo(1);
                assertThat(q.givenUp()).isFalse();
                assertThat(q.error()).contains("refused");
            });
            assertThat(service.quarantine(actor(TestHost.DAVE))).hasSize(1);
            assertThat(service.status(actor(TestHost.ANNA), id).quarantined()).isEqualTo(1);

            put(a, "INBOX", message("fine3@x", "bob@example.com", "Fine 3", daysAgo(0)), daysAgo(0));
            assertThat(engine.syncNow(id).messagesStored()).isEqualTo(1);
            engine.syncNow(id);
            var givenUp = service.quarantine(actor(TestHost.ANNA), id).get(0);
            assertThat(givenUp.attempts()).isEqualTo(3);
            assertThat(givenUp.givenUp()).isTrue();
            RunReport quiet = engine.syncNow(id);
            assertThat(quiet.quarantined()).as("given up: no more automatic tries").isZero();
            assertThat(service.quarantine(actor(TestHost.ANNA), id).get(0).attempts()).isEqualTo(3);
        } finally {
            db.execute("ALTER TABLE message DROP CONSTRAINT poison_ck");
        }

        SyncStatus retry = service.retryQuarantined(actor(TestHost.ANNA), id);
        assertThat(retry.quarantined()).isEqualTo(1);
        assertThat(service.quarantine(actor(TestHost.ANNA), id).get(0).givenUp()).isFalse();
        RunReport fixed = engine.syncNow(id);

        assertThat(fixed.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(fixed.messagesStored()).isEqualTo(1);
        assertThat(service.quarantine(actor(TestHost.ANNA), id)).isEmpty();
        assertThat(storedMessageIds(id)).containsExactly("<fine1@x>", "<fine2@x>", "<fine3@x>", "<poison@x>");
        assertThat(located(id, "INBOX")).hasSize(4);
        assertConsistent(id);
    }

    @Test
    void aRunThatLostItsLeaseStopsWithoutWritingAnythingMore() {
        Account a = account();
        for (int i = 0; i < 6; i++) {
            put(a, "INBOX", message("l" + i + "@x", "bob@example.com", "L" + i, daysAgo(1)), daysAgo(1));
        }
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine(settings().withBatch(2, 1024 * 1024));
        // another node takes the mailbox over (as after an expired lease)
        onFirstBatch(() -> db.execute("UPDATE sync_schedule SET lease_owner = 'node-z', lease_epoch = lease_epoch + 1"
                + " WHERE mailbox_id = " + id.value()));

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.INTERRUPTED);
        assertThat(messages(id)).as("the first batch only").isEqualTo(2);
        ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
        assertThat(s.leaseOwner()).as("not released: it is node-z's now").isEqualTo("node-z");
        assertThat(s.leaseHeld()).isTrue();
        assertConsistent(id);
    }

    @Test
    void stoppingTheNodeInterruptsARunWhichReleasesItsLeaseForOthers() {
        Account a = account();
        for (int i = 0; i < 6; i++) {
            put(a, "INBOX", message("c" + i + "@x", "bob@example.com", "C" + i, daysAgo(1)), daysAgo(1));
        }
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        Engine engine = engine(settings().withBatch(2, 1024 * 1024));
        onFirstBatch(() -> new Thread(engine::close).start());

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.INTERRUPTED);
        assertThat(r.error()).contains("continues where it stopped");
        ScheduleRecord s = stores.schedule().find(id.value()).orElseThrow();
        assertThat(s.leaseHeld()).isFalse();
        assertThat(s.due()).as("due at once: another node picks it up").isTrue();
        assertThat(s.failures()).isZero();
        assertConsistent(id);
        events.onEvent(e -> { });
        RunReport other = engine(settings().withNodeId("node-other")).syncNow(id);
        assertThat(other.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(storedMessageIds(id)).hasSize(6);
        assertConsistent(id);
    }

    @Test
    void messagesOfAListPageCarryFlagsFoldersAndAddresses() {
        Account a = account();
        put(a, "INBOX", message("p1@x", "Bob <bob@example.com>", "Page", daysAgo(1), "Cc: carol@example.com"), daysAgo(1));
        MailboxId id = mailbox(a, List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH);
        engine().syncNow(id);
        var page = stores.messages().list(new MessageFilter(List.of(id.value()), "INBOX", null, 10));
        assertThat(page.messages()).singleElement().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("Page");
            assertThat(m.from().name()).isEqualTo("Bob");
            assertThat(m.to()).extracting(c -> c.address()).containsExactly("anna@postroom.test");
            assertThat(m.preview()).isEqualTo("Hello, this is Page.");
            assertThat(m.size()).isPositive();
        });
    }
}
