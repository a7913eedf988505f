package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.Direction;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.MessageDetail;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.sync.RunReport;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotExtension;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import io.postroom.testing.proxy.FaultProxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only a real server shows: CONDSTORE/QRESYNC (a no-change run sends one command and
 * fetches nothing; flag changes and expunges come from the server's change tracking), the
 * CONDSTORE-only path (CHANGEDSINCE and a UID SEARCH, as with Gmail), SPECIAL-USE, and a changed
 * UIDVALIDITY (same record ids, nothing duplicated or lost). Skipped where Dovecot is not installed.
 */
class DovecotSyncTest extends DovecotFixture {
    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.shared();

    @Override
    Dovecot dovecot() {
        return DOVECOT.dovecot();
    }

    @Test
    void aRunWithoutChangesSendsOneCommandAndFetchesNothing() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(1, 30).messages());
        dovecot().deliver(u.name(), "Sent", raw("sent-1@x", "someone@example.com", "Sent"));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX", "Sent"));
            Engine engine = engine();
            RunReport first = engine.syncNow(id);
            assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(first.messagesStored()).isEqualTo(31);
            assertMirrors(id, u, "INBOX", "Sent");

            long before = proxy.bytesFromServer();
            RunReport second = engine.syncNow(id);

            assertThat(second.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(second.imapCommands()).as("LIST-STATUS only").isEqualTo(1);
            assertThat(second.messagesStored()).isZero();
            // greeting, capabilities, login, LIST-STATUS for the user's folders, logout: no message data
            assertThat(proxy.bytesFromServer() - before).isLessThan(4_000);
        }
    }

    @Test
    void emptyFoldersOnTheFirstSyncCostNoCommandOfTheirOwn() {
        DovecotUser plain = dovecot().newUser();
        DovecotUser withEmpty = dovecot().newUser();
        for (DovecotUser u : List.of(plain, withEmpty)) {
            dovecot().bulkLoad(u.name(), "INBOX", generator(5, 8).messages());
        }
        dovecot().createFolder(withEmpty.name(), "Drafts");
        dovecot().createFolder(withEmpty.name(), "Junk");
        Engine engine = engine();
        RunReport inboxOnly = engine.syncNow(mailbox(plain, dovecot().imapPort(), List.of("INBOX")));
        MailboxId id = mailbox(withEmpty, dovecot().imapPort(), List.of("INBOX", "Drafts", "Junk"));

        RunReport first = engine.syncNow(id);

        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(first.imapCommands()).as("the empty folders' state comes from LIST-STATUS")
                .isEqualTo(inboxOnly.imapCommands());
        FolderRecord drafts = stores.folders().list(id.value()).stream().filter(f -> f.name().equals("Drafts"))
                .findFirst().orElseThrow();
        assertThat(drafts.uidValidity()).isPositive();
        assertThat(drafts.highUid()).isEqualTo(drafts.uidNext() - 1);
        assertThat(drafts.completeSince()).isNotNull();
        // mail that arrives later is found above the recorded high UID
        dovecot().deliver(withEmpty.name(), "Drafts", raw("draft-1@x", "anna@example.com", "Draft"));
        RunReport second = engine.syncNow(id);
        assertThat(second.outcome()).as(second.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(second.messagesStored()).isEqualTo(1);
        assertMirrors(id, withEmpty, "INBOX", "Drafts", "Junk");
    }

    @Test
    void theSentFolderIsNotDownloadedWhileOnlyReceivedMailIsKept() {
        Map<KeepPolicy, Long> bytes = new java.util.EnumMap<>(KeepPolicy.class);
        for (KeepPolicy keep : List.of(KeepPolicy.RECEIVED, KeepPolicy.BOTH)) {
            DovecotUser u = dovecot().newUser();
            dovecot().deliver(u.name(), "INBOX", raw("in-1@x", "bob@example.com", "In"));
            dovecot().bulkLoad(u.name(), "Sent", generator(6, 30).messages());
            try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
                MailboxId id = mailbox(u.name() + "@postroom.test", u.name(), u.password(), proxy.port(),
                        mailboxSettings(List.of("INBOX", "Sent"), SyncPeriod.DAYS_14, keep, Set.of()));
                RunReport r = engine().syncNow(id);
                assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
                assertThat(r.messagesStored()).isEqualTo(keep == KeepPolicy.BOTH ? 31 : 1);
                bytes.put(keep, proxy.bytesFromServer());
            }
        }
        assertThat(bytes.get(KeepPolicy.RECEIVED)).as("no Sent message travelled").isLessThan(bytes.get(KeepPolicy.BOTH) / 4);
    }

    @Test
    void flagChangesAndExpungesComeFromQresync() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(2, 12).messages());
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();
        engine.syncNow(id);

        dovecot().addFlags(u.name(), "INBOX", 3, "\\Flagged", "$Label1");
        dovecot().addFlags(u.name(), "INBOX", 4, "\\Answered");
        dovecot().expunge(u.name(), "INBOX", "5:6");
        dovecot().deliver(u.name(), "INBOX", raw("late@x", "bob@example.com", "Late"));
        Map<Long, Set<String>> onServer = serverFlags(u, "INBOX");
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.flagChanges()).isEqualTo(2);
        assertThat(r.expunged()).isEqualTo(2);
        assertThat(r.messagesStored()).isEqualTo(1);
        assertThat(r.imapCommands()).as("LIST-STATUS, ENABLE, EXAMINE (QRESYNC), SEARCH, FETCH x2").isLessThanOrEqualTo(6);
        assertMirrors(id, u, "INBOX");
        Map<Long, Set<String>> flags = new HashMap<>();
        for (var l : stores.folders().locations(stores.folders().list(id.value()).get(0).id())) {
            flags.put(l.uid(), l.flags());
        }
        assertThat(flags.get(3L)).contains("\\Flagged", "$Label1");
        assertThat(flags.get(4L)).contains("\\Answered");
        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox AND deleted_on_server = TRUE", id)).isEqualTo(2);
        // the sync changed nothing on the server: no \Seen set, no flag touched
        assertThat(serverFlags(u, "INBOX")).isEqualTo(onServer);
    }

    @Test
    void aScatteredVanishedSetIsMatchedInOnePassOverTheFolder() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(4, 120).messages());
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();
        engine.syncNow(id);

        // every third message: VANISHED (EARLIER) answers with 40 separate ranges
        dovecot().expunge(u.name(), "INBOX", everyThird(1, 120, 0));
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.expunged()).isEqualTo(40);
        assertMirrors(id, u, "INBOX");
    }

    @Test
    void withCondstoreOnlyFlagsComeFromChangedSinceAndExpungesFromASearch() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(3, 10).messages());
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine(settings().withQresync(false));
        engine.syncNow(id);
        RunReport idle = engine.syncNow(id);
        assertThat(idle.imapCommands()).isEqualTo(1);

        dovecot().addFlags(u.name(), "INBOX", 2, "\\Flagged");
        dovecot().expunge(u.name(), "INBOX", 7);
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.flagChanges()).isEqualTo(1);
        assertThat(r.expunged()).isEqualTo(1);
        assertMirrors(id, u, "INBOX");
    }

    @ParameterizedTest(name = "QRESYNC {0}")
    @ValueSource(booleans = {true, false})
    void flagChangesAndExpungesBeforeAWiderKeepSettingAreNotLost(boolean qresync) {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(7, 6).messages());
        MailboxId id = mailbox(u.name() + "@postroom.test", u.name(), u.password(), dovecot().imapPort(),
                mailboxSettings(List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.RECEIVED, Set.of()));
        Engine engine = engine(settings().withQresync(qresync));
        engine.syncNow(id);
        dovecot().addFlags(u.name(), "INBOX", 2, "\\Flagged");
        dovecot().expunge(u.name(), "INBOX", 5);
        changeSettings(id, mailboxSettings(List.of("INBOX"), SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        engine.backfillNow(id);
        dovecot().deliver(u.name(), "INBOX", raw("later@x", "bob@example.com", "Later"));
        engine.syncNow(id);
        assertMirrors(id, u, "INBOX");
    }

    @ParameterizedTest(name = "QRESYNC {0}")
    @ValueSource(booleans = {true, false})
    void aHighestModSeqGoingBackwardsRereadsTheFlagsAndExpunges(boolean qresync) {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(7, 6).messages());
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine(settings().withQresync(qresync));
        engine.syncNow(id);
        // the server's HIGHESTMODSEQ is now below the stored one, same UIDVALIDITY (index rebuilt, restored backup)
        db.execute("UPDATE folder_state SET highest_modseq = highest_modseq + 1000 WHERE mailbox_id = " + id.value());
        dovecot().addFlags(u.name(), "INBOX", 2, "\\Flagged");
        dovecot().expunge(u.name(), "INBOX", 5);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.flagChanges()).isEqualTo(1);
        assertThat(r.expunged()).isEqualTo(1);
        assertMirrors(id, u, "INBOX");
        FolderRecord inbox = stores.folders().list(id.value()).get(0);
        assertThat(inbox.highestModSeq()).as("the server's value is kept").isEqualTo(dovecot().status(u.name(), "INBOX")
                .highestModSeq());
        // from there on the usual way: a change is found by CONDSTORE / QRESYNC, no change costs one command
        dovecot().addFlags(u.name(), "INBOX", 3, "\\Answered");
        assertThat(engine.syncNow(id).flagChanges()).isEqualTo(1);
        assertMirrors(id, u, "INBOX");
        assertThat(engine.syncNow(id).imapCommands()).isEqualTo(1);
    }

    /**
     * A change to every message of a folder ("mark all as read") is reported in one answer with a
     * response per message. Held, 3,000 of them would take about 2 MB, twice what this connector's
     * limit of 256 KiB lets one answer hold (1 MiB): they are taken as they arrive. With batches of
     * 25 the sync keeps at most 2,500 reported changes (four pages of 625): a change to every
     * message is more, so the folder is compared page by page instead; a change to half of it is
     * kept and applied, and the expunges are found a page at a time.
     */
    @ParameterizedTest(name = "QRESYNC {0}, flags changed on {1}")
    @CsvSource({"true, 1:*, 2533", "false, 1:*, 2533", "true, 1:1500, 1033", "false, 1:1500, 1033"})
    void aChangeToManyMessagesOfAFolderIsReadAsItArrivesNotHeld(boolean qresync, String changed, int flagChanges) {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(8, 3_000).messages());
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(256 * 1024));
        // batches small enough for answers of at most 1 MiB
        Engine engine = engine(settings().withQresync(qresync).withBatch(25, 64 * 1024), bounded);
        RunReport first = engine.syncNow(id);
        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);

        dovecot().addFlags(u.name(), "INBOX", changed, "\\Seen", "$Label1");
        // every third of the first 1,400: a VANISHED (EARLIER) of 467 separate ranges
        dovecot().expunge(u.name(), "INBOX", everyThird(1, 1_400, 2));
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.expunged()).isEqualTo(467);
        assertThat(r.flagChanges()).isEqualTo(flagChanges);
        assertMirrors(id, u, "INBOX");
    }

    /**
     * As the GreenMail test of the same name, against a server that runs pipelined FETCHes together
     * (the next batch's metadata may arrive within a text batch's answer): with a response limit of
     * 256 KiB one answer may hold 1 MiB, and the default text batch of 8 MiB would ask for 1.8 MB in
     * one command. Every message is stored, with its text, none quarantined.
     */
    @Test
    void textBatchesStayWellInsideWhatOneAnswerMayHoldWhateverBatchKilobytesSays() {
        DovecotUser u = dovecot().newUser();
        List<io.postroom.testing.mail.Mail> mail = new java.util.ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            mail.add(io.postroom.testing.mail.Mail.of(plainMessage("plain" + i + "@x", 100_000)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        for (int i = 1; i <= 6; i++) {
            mail.add(io.postroom.testing.mail.Mail.of(alternativeMessage("alt" + i + "@x", 30_000)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        dovecot().bulkLoad(u.name(), "INBOX", mail);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(256 * 1024));
        Engine engine = engine(settings().withBatch(200, 8L << 20), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(20);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertMirrors(id, u, "INBOX");
        long plain = stores.messages().findByMessageIdHeader(id.value(), "plain7@x").orElseThrow();
        assertThat(stores.messages().find(plain).orElseThrow().text()).contains("plain7@x line 1 ").contains("plain7@x, the end.");
        long alternative = stores.messages().findByMessageIdHeader(id.value(), "alt3@x").orElseThrow();
        assertThat(stores.messages().find(alternative).orElseThrow().html()).contains("alt3@x, the end.");
    }

    private static io.postroom.testing.mail.Mail mail(String raw) {
        return io.postroom.testing.mail.Mail.of(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * As the GreenMail test of the same name: at maxResponseMegabytes 1 a message's text, one FETCH
     * response, holds at most 1 MiB; four text parts of about 1 MB and a plain and an HTML part of
     * 900 KB are stored cut, flagged TRUNCATED_TEXT; the run succeeds, the other messages complete.
     */
    @Test
    void aMessageWhoseTextExceedsOneResponseIsStoredCutAndFlaggedAndTheFolderGoesOn() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", List.of(mail(plainMessage("before@x", 300_000)),
                mail(mixedMessage("four@x", 4, 1_000_000)), mail(alternativeMessage("big-alt@x", 900_000)),
                mail(alternativeMessage("after@x", 200_000))));
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(1 << 20));
        Engine engine = engine(settings(), bounded);

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(4);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertMirrors(id, u, "INBOX");
        MessageDetail four = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), "four@x")
                .orElseThrow()).orElseThrow();
        assertThat(four.summary().problems()).contains("TRUNCATED_TEXT");
        for (int part = 1; part <= 4; part++) {
            assertThat(four.text()).contains("four@x-" + part + " line 2000 ").doesNotContain("four@x-" + part + ", the end.");
        }
        MessageDetail big = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), "big-alt@x")
                .orElseThrow()).orElseThrow();
        assertThat(big.summary().problems()).contains("TRUNCATED_TEXT");
        assertThat(big.text()).contains("big-alt@x line 4000 ").doesNotContain("big-alt@x, the end.");
        assertThat(big.html()).contains("big-alt@x line 4000 ").doesNotContain("big-alt@x, the end.");
        for (String complete : List.of("before@x", "after@x")) {
            MessageDetail m = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), complete)
                    .orElseThrow()).orElseThrow();
            assertThat(m.summary().problems()).as(complete).isEmpty();
            assertThat(m.text()).contains(complete + ", the end.");
        }
        assertThat(engine.syncNow(id).imapCommands()).as("nothing left to do").isEqualTo(1);
    }

    /**
     * A UID SEARCH answer is one response: at a response limit of 64 KiB about 6,000 UIDs of ten
     * digits. A folder of 6,500 messages with UIDs from 1,000,000,000 failed its first sync at the
     * first search, and, with CONDSTORE alone, every run after a change at the search for expunges.
     * Both go over UID ranges that fit: the folder is stored completely, changes and expunges found.
     */
    @Test
    void aFolderWhoseUidsExceedOneSearchResponseIsSearchedInRangesAndStoredCompletely() {
        DovecotUser u = dovecot().newUser();
        dovecot().status(u.name(), "INBOX");
        dovecot().doveadm("mailbox", "update", "-u", u.name(), "--min-next-uid", "1000000000", "INBOX");
        List<io.postroom.testing.mail.Mail> many = new java.util.ArrayList<>();
        for (int i = 0; i < 6_500; i++) {
            many.add(mail("From: bob@example.com\r\nMessage-ID: <s" + i + "@x>\r\nSubject: " + i + "\r\n\r\nHi\r\n"));
        }
        dovecot().bulkLoad(u.name(), "INBOX", many);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));
        // small batches: many rounds, each searched range in several
        Engine engine = engine(settings().withQresync(false).withBatch(50, 64 * 1024), bounded);

        RunReport first = engine.syncNow(id);

        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(first.messagesStored()).isEqualTo(6_500);
        assertMirrors(id, u, "INBOX");

        dovecot().addFlags(u.name(), "INBOX", "1000000100", "\\Flagged");
        dovecot().expunge(u.name(), "INBOX", "1000000007,1000006000");
        RunReport changed = engine.syncNow(id);

        assertThat(changed.outcome()).as(changed.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(changed.flagChanges()).isEqualTo(1);
        assertThat(changed.expunged()).isEqualTo(2);
        assertMirrors(id, u, "INBOX");
    }

    /**
     * At a response limit of 64 KiB one answer may hold 256 KiB, about 400 FLAGS responses. A new
     * UIDVALIDITY (Message-IDs of 1,000 messages a command) and a change to every message of a folder
     * of 3,000 (more than the sync keeps: the folder is compared page by page, 625 messages a page)
     * failed every run; both go in commands sized to the answer. After each the CRM holds exactly the
     * server's messages, the same records. (The GreenMail test of the same name has the change first.)
     */
    @Test
    void aChangeToEveryMessageAndANewUidValidityCompleteAtASmallResponseLimit() {
        DovecotUser u = dovecot().newUser();
        List<io.postroom.testing.mail.Mail> small = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // one in ten without Message-ID: matched again by the fingerprint of its header
            small.add(mail("From: bob@example.com\r\n" + (i % 10 == 0 ? "" : "Message-ID: <c" + i + "@x>\r\n")
                    + "Subject: " + i + "\r\n\r\nHi " + i + "\r\n"));
        }
        dovecot().bulkLoad(u.name(), "INBOX", small);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(64 * 1024));
        Engine engine = engine(settings().withBatch(25, 64 * 1024), bounded);
        RunReport first = engine.syncNow(id);
        assertThat(first.outcome()).as(first.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        Map<String, Long> records = recordsByKey(id);

        dovecot().recreateFolder(u.name(), "INBOX");
        RunReport remap = engine.syncNow(id);

        assertThat(remap.outcome()).as(remap.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(remap.messagesStored()).as("all matched again").isZero();
        assertThat(recordsByKey(id)).as("the same records").isEqualTo(records);
        assertMirrors(id, u, "INBOX");

        dovecot().addFlags(u.name(), "INBOX", "1:*", "\\Seen", "$Label1");
        RunReport flagged = engine.syncNow(id);

        assertThat(flagged.outcome()).as(flagged.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(flagged.flagChanges()).isEqualTo(3_000);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertMirrors(id, u, "INBOX");
    }

    /**
     * At maxResponseMegabytes 1 one command's answer may hold 4 MiB. The metadata of a batch of 200
     * messages with headers of about 25 KB (long Received chains, DKIM and ARC seals) is 5 MB: asked
     * in one command, it failed the run at that batch, on every attempt. The metadata goes in commands
     * sized to the answer; the folder is stored completely, in one run.
     */
    @Test
    void aBatchOfLongHeadersIsAskedInCommandsThatFitTheAnswer() {
        DovecotUser u = dovecot().newUser();
        StringBuilder received = new StringBuilder();
        for (int line = 0; line < 250; line++) {
            received.append("Received: from relay").append(line).append(".example.net (relay.example.net [192.0.2.1])\r\n")
                    .append("\tby mx.example.com with ESMTPS id ").append(line).append("\r\n");
        }
        List<io.postroom.testing.mail.Mail> heavy = new java.util.ArrayList<>();
        for (int i = 0; i < 450; i++) {
            heavy.add(mail(received + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nFrom: bob@example.com\r\nMessage-ID: <h" + i + "@x>\r\nSubject: " + i
                    + "\r\n\r\nHello " + i + "\r\n"));
        }
        assertThat(received.length()).as("a header of about 25 KB").isGreaterThan(24_000);
        dovecot().bulkLoad(u.name(), "INBOX", heavy);
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        MailConnector bounded = MailConnectors.create(connectorConfig().withMaxResponseBytes(1 << 20));
        Engine engine = engine(settings().withBatch(200, 8L << 20), bounded); // batches of 200, as by default

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).isEqualTo(450);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertMirrors(id, u, "INBOX");
        MessageDetail last = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), "h449@x")
                .orElseThrow()).orElseThrow();
        assertThat(last.summary().problems()).isEmpty();
        assertThat(last.text()).contains("Hello 449");
    }

    @Test
    void aChosenFolderDeletedOnTheServerTakesItsMessagesWithIt() {
        DovecotUser u = dovecot().newUser();
        dovecot().createFolder(u.name(), "Projects");
        dovecot().deliver(u.name(), "INBOX", raw("fine@x", "bob@example.com", "Fine"));
        dovecot().deliver(u.name(), "INBOX", raw("both@x", "bob@example.com", "In both"));
        dovecot().deliver(u.name(), "Projects", raw("both@x", "bob@example.com", "In both"));
        dovecot().deliver(u.name(), "Projects", raw("proj1@x", "bob@example.com", "Proj 1"));
        dovecot().deliver(u.name(), "Projects", raw("proj2@x", "bob@example.com", "Proj 2"));
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX", "Projects"));
        Engine engine = engine();
        assertThat(engine.syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        long proj1 = stores.messages().findByMessageIdHeader(id.value(), "proj1@x").orElseThrow();

        dovecot().deleteFolder(u.name(), "Projects");
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).isEqualTo(SyncOutcome.PARTIAL);
        assertThat(r.error()).contains("Projects").contains("not on the server any more")
                .contains("choose the folders to synchronise again").contains("marked as deleted on the server");
        assertThat(r.expunged()).isEqualTo(3);
        assertMirrors(id, u, "INBOX");
        assertThat(located(id, "Projects")).isEmpty();
        for (String gone : List.of("proj1@x", "proj2@x")) {
            MessageDetail d = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), gone).orElseThrow())
                    .orElseThrow();
            assertThat(d.summary().deletedOnServer()).as(gone).isTrue();
            assertThat(d.text()).as("the text stays in the CRM").contains("Hello Proj");
        }
        MessageDetail both = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), "both@x")
                .orElseThrow()).orElseThrow();
        assertThat(both.summary().deletedOnServer()).as("still in INBOX").isFalse();
        assertThat(both.summary().folders()).containsExactly("INBOX");
        FolderRecord projects = stores.folders().list(id.value()).stream().filter(f -> f.name().equals("Projects"))
                .findFirst().orElseThrow();
        assertThat(projects.lastError()).contains("choose the folders to synchronise again");
        assertThat(record(id).consecutiveFailures()).as("not a connection failure").isZero();
        assertThat(engine.syncNow(id).expunged()).as("done once").isZero();

        // the folder comes back with one of its messages: the same record, on the server again
        dovecot().createFolder(u.name(), "Projects");
        dovecot().deliver(u.name(), "Projects", raw("proj1@x", "bob@example.com", "Proj 1"));
        RunReport back = engine.syncNow(id);
        assertThat(back.outcome()).as(back.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(back.messagesStored()).isZero();
        assertMirrors(id, u, "INBOX", "Projects");
        assertThat(stores.messages().findByMessageIdHeader(id.value(), "proj1@x")).contains(proj1);
        assertThat(stores.messages().find(proj1).orElseThrow().summary().deletedOnServer()).isFalse();
    }

    @Test
    void theSentFolderIsFoundBySpecialUse() {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "Sent", raw("delegate@x", "assistant@example.com", "Sent for Anna"));
        dovecot().deliver(u.name(), "INBOX", raw("in@x", "bob@example.com", "Received"));
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX", "Sent"));

        assertThat(engine().syncNow(id).outcome()).isEqualTo(SyncOutcome.SUCCEEDED);

        Map<String, String> uses = new HashMap<>();
        for (FolderRecord f : stores.folders().list(id.value())) {
            uses.put(f.name(), f.specialUse());
        }
        assertThat(uses).containsEntry("Sent", "SENT");
        assertThat(uses.get("INBOX")).isNull();
        long sent = stores.messages().findByMessageIdHeader(id.value(), "delegate@x").orElseThrow();
        assertThat(stores.messages().find(sent).orElseThrow().summary().direction()).isEqualTo(Direction.SENT);
        long in = stores.messages().findByMessageIdHeader(id.value(), "in@x").orElseThrow();
        assertThat(stores.messages().find(in).orElseThrow().summary().direction()).isEqualTo(Direction.RECEIVED);
    }

    @Test
    void aNewUidValidityKeepsTheRecordsAndTheirIds() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", generator(4, 20).messages());
        dovecot().deliver(u.name(), "INBOX", raw(null, "bob@example.com", "No Message-ID here"));
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();
        engine.syncNow(id);
        assertMirrors(id, u, "INBOX");
        Map<String, Long> before = recordsByKey(id);
        long oldValidity = stores.folders().list(id.value()).get(0).uidValidity();

        var status = dovecot().recreateFolder(u.name(), "INBOX");
        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertThat(r.messagesStored()).as("nothing new: all matched").isZero();
        assertThat(status.uidValidity()).isNotEqualTo(oldValidity);
        assertThat(stores.folders().list(id.value()).get(0).uidValidity()).isEqualTo(status.uidValidity());
        assertThat(recordsByKey(id)).as("same records, same ids").isEqualTo(before);
        assertMirrors(id, u, "INBOX");
        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox AND deleted_on_server = TRUE", id)).isZero();
        assertThat(engine.syncNow(id).imapCommands()).isEqualTo(1);
    }

    @Test
    void aMessageWithAMultiMegabyteHeaderIsStoredCutAndMatchedAgainAfterANewUidValidity() {
        DovecotUser u = dovecot().newUser();
        String filler = String.join("\r\n", java.util.Collections.nCopies(40_000, "X-Filler: " + "0123456789".repeat(7)));
        dovecot().deliver(u.name(), "INBOX", raw("before@x", "bob@example.com", "Before"));
        dovecot().deliver(u.name(), "INBOX", hugeHeader("huge@x", "Huge header", filler));
        dovecot().deliver(u.name(), "INBOX", hugeHeader(null, "Huge, no Message-ID", filler));
        dovecot().deliver(u.name(), "INBOX", raw("after@x", "bob@example.com", "After"));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            Engine engine = engine();

            RunReport r = engine.syncNow(id);

            assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(r.messagesStored()).isEqualTo(4);
            // 1 MiB of each 3.2 MB header travelled (BODY.PEEK[HEADER]<0.1048576>), not the whole headers
            assertThat(proxy.bytesFromServer()).isBetween(2L << 20, 3_000_000L);
            assertMirrors(id, u, "INBOX");
            MessageDetail huge = stores.messages().find(stores.messages().findByMessageIdHeader(id.value(), "huge@x")
                    .orElseThrow()).orElseThrow();
            assertThat(huge.summary().problems()).contains("TRUNCATED_HEADER");
            assertThat(huge.summary().subject()).isEqualTo("Huge header");
            assertThat(huge.text()).contains("Hello Huge header");
            long noId = db.queryForLong("SELECT id FROM message WHERE message_id_hdr IS NULL AND mailbox_id = " + id.value());
            assertThat(stores.messages().find(noId).orElseThrow().summary().problems()).contains("TRUNCATED_HEADER");
            for (String other : List.of("before@x", "after@x")) {
                long m = stores.messages().findByMessageIdHeader(id.value(), other).orElseThrow();
                assertThat(stores.messages().find(m).orElseThrow().summary().problems()).doesNotContain("TRUNCATED_HEADER");
            }

            // a new UIDVALIDITY: the message without Message-ID is found again by the fingerprint of its cut header
            // (the same first bytes as when it was stored), the others by Message-ID; nothing new, nothing lost
            Map<String, Long> before = recordsByKey(id);
            dovecot().recreateFolder(u.name(), "INBOX");
            RunReport again = engine.syncNow(id);

            assertThat(again.outcome()).as(again.error()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertThat(again.messagesStored()).as("all matched").isZero();
            assertThat(recordsByKey(id)).as("same records, same ids").isEqualTo(before);
            assertMirrors(id, u, "INBOX");
        }
    }

    /** A message whose header holds {@code filler} (megabytes of lines) between its first fields and the MIME fields. */
    private static io.postroom.testing.mail.Mail hugeHeader(String messageId, String subject, String filler) {
        String text = "From: bob@example.com\r\nTo: someone@example.com\r\nSubject: " + subject + "\r\n"
                + (messageId == null ? "" : "Message-ID: <" + messageId + ">\r\n")
                + "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\n" + filler + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello " + subject + "\r\n";
        return io.postroom.testing.mail.Mail.of(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageWhoseFileVanishedOnTheServerDoesNotBlockTheFolder() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", raw("a@x", "bob@example.com", "A"));
        dovecot().deliver(u.name(), "INBOX", raw("b@x", "bob@example.com", "B"));
        dovecot().deliver(u.name(), "INBOX", raw("c@x", "bob@example.com", "C"));
        dovecot().status(u.name(), "INBOX");
        java.nio.file.Path maildir = java.nio.file.Path.of(dovecot().doveadm("mailbox", "path", "-u", u.name(), "INBOX").trim());
        try (var files = java.nio.file.Files.walk(maildir)) {
            java.nio.file.Path victim = files.filter(java.nio.file.Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().matches("cur|new")).filter(f -> {
                try {
                    return java.nio.file.Files.readString(f).contains("<b@x>");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            java.nio.file.Files.delete(victim);
        }
        MailboxId id = mailbox(u, dovecot().imapPort(), List.of("INBOX"));
        Engine engine = engine();

        RunReport r = engine.syncNow(id);

        assertThat(r.outcome()).as(r.error()).isIn(SyncOutcome.SUCCEEDED, SyncOutcome.PARTIAL);
        assertThat(stores.messages().findByMessageIdHeader(id.value(), "a@x")).isPresent();
        assertThat(stores.messages().findByMessageIdHeader(id.value(), "c@x")).isPresent();
        // the next runs settle: the server has noticed the file is gone, the CRM holds exactly the rest
        engine.syncNow(id);
        RunReport settled = engine.syncNow(id);
        assertThat(settled.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
        assertMirrors(id, u, "INBOX");
        assertThat(stores.quarantine().list(id.value())).isEmpty();
    }

    @Test
    void attachmentsAreDescribedNotDownloaded() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", MailGenerator.builder().seed(5).count(40).lastDays(5)
                .sizes(SizeProfile.REALISTIC).build().messages());
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            RunReport r = engine().syncNow(id);
            assertThat(r.outcome()).isEqualTo(SyncOutcome.SUCCEEDED);
            assertMirrors(id, u, "INBOX");
            long attachmentBytes = count("SELECT COALESCE(SUM(a.size), 0) FROM attachment a JOIN message m ON m.id = a.message_id"
                    + " WHERE m.mailbox_id = :mailbox AND a.inline_part = FALSE", id);
            assertThat(attachmentBytes).isPositive();
            long onServer = dovecot().messages(u.name(), "INBOX").size();
            assertThat(onServer).isEqualTo(40);
            MessageDetail withAttachment = stores.messages().find(db.queryForLong("SELECT MIN(a.message_id) FROM attachment a"
                    + " JOIN message m ON m.id = a.message_id WHERE m.mailbox_id = " + id.value())).orElseThrow();
            assertThat(withAttachment.attachments()).allSatisfy(a -> {
                assertThat(a.part()).isNotBlank();
                assertThat(a.contentType()).contains("/");
            });
            // the text came, the attachments did not: far fewer bytes than the attachments hold
            assertThat(proxy.bytesFromServer()).isLessThan(attachmentBytes);
        }
    }
}
