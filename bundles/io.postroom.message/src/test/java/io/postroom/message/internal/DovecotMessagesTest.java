package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import io.postroom.message.internal.Mails.Attachment;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageLocation;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotExtension;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.dovecot.FolderStatus;
import io.postroom.testing.dovecot.StoredMessage;
import io.postroom.testing.host.TestHost;
import io.postroom.testing.proxy.FaultProxy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attachments streamed from a real Dovecot: every transfer encoding, range boundaries, {@code \Seen}
 * left alone, a message found again by its Message-ID after its folder was rebuilt (new
 * UIDVALIDITY, the old UID naming another message) or after it moved to a folder the sync does not
 * read, a message deleted on the server, connection failures (not counted against the mailbox), a
 * connection cut mid-stream, a server falling silent (the connector's command timeout ends the
 * wait, classified TIMEOUT, the download slot given back when the read fails), and a 40 MB
 * attachment read with bounded heap in a JVM of its own.
 * Skipped where Dovecot is not installed.
 */
class DovecotMessagesTest extends MessageFixture {
    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.shared();

    static final byte[] BINARY = new byte[300_000];
    /** Exactly two ranges: the last range is full, the one after it empty. */
    static final String EXACT = "x".repeat(2 * RANGE - 2) + "\r\n";
    static final String CSV = "product,unit price EUR,quantity\r\nChai,17.10,120\r\nChang,18.05,80\r\n".repeat(100);
    static final String NOTES = "Grüße aus Kyiv! Ціни на листопад = 18,00 EUR; a line longer than seventy-six characters, "
            + "which quoted-printable has to break with soft line breaks.   \r\nTrailing spaces above, tab\there.\r\n";
    static final String UTF8 = "Доброго дня! Підтверджуємо доставку замовлення № 42.\r\n";

    static {
        new Random(7).nextBytes(BINARY);
    }

    TenantId tenant;

    Dovecot dovecot() {
        return DOVECOT.dovecot();
    }

    @BeforeAll
    void tenant() {
        tenant = host.newTenant("t-" + java.util.UUID.randomUUID());
    }

    MailboxId mailbox(DovecotUser u, int port, List<String> folders) {
        return mailbox(tenant, u.name() + "@postroom.test", u.name(), u.password(), port, folders);
    }

    MailboxId mailbox(DovecotUser u) {
        return mailbox(u, dovecot().imapPort(), List.of("INBOX"));
    }

    static byte[] withFiles(String messageId, List<Attachment> attachments) {
        return Mails.message(messageId, "Jordan Lee <jordan@fabrikam.test>", "Files " + messageId, Instant.now(), null,
                "Files attached.\n", attachments);
    }

    static Attachment bin(String name, byte[] content) {
        return new Attachment(name, "application/octet-stream", "base64", content);
    }

    Set<String> flags(DovecotUser u, String folder, String messageId) {
        for (StoredMessage m : dovecot().messages(u.name(), folder)) {
            if (("<" + messageId + ">").equals(m.messageId())) {
                return m.flags();
            }
        }
        throw new AssertionError(messageId + " not in " + folder);
    }

    // ------------------------------------------------------------------ content

    @Test
    void everyTransferEncodingStreamsWhatWasAttachedAndNothingIsMarkedSeen() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("enc@demo.test", List.of(
                bin("random.bin", BINARY),
                new Attachment("notes.txt", "text/plain; charset=utf-8", "quoted-printable", NOTES.getBytes(StandardCharsets.UTF_8)),
                new Attachment("prices.csv", "text/csv; charset=us-ascii", "7bit", CSV.getBytes(StandardCharsets.US_ASCII)),
                new Attachment("exact.txt", "text/plain; charset=us-ascii", "7bit", EXACT.getBytes(StandardCharsets.US_ASCII)),
                new Attachment("letter.txt", "text/plain; charset=utf-8", "8bit", UTF8.getBytes(StandardCharsets.UTF_8)))));
        MailboxId id = mailbox(u);
        sync(id);
        MessageId m = stored(id, "enc@demo.test");
        assertThat(flags(u, "INBOX", "enc@demo.test")).doesNotContain("\\Seen");

        AttachmentContent random = service.openAttachment(as(tenant, TestHost.ANNA), m, 1);
        assertThat(random.length()).isEmpty();
        assertThat(read(random)).isEqualTo(BINARY);
        AttachmentContent notes = service.openAttachment(as(tenant, TestHost.ANNA), m, 2);
        assertThat(new String(read(notes), StandardCharsets.UTF_8)).isEqualTo(NOTES);
        AttachmentContent csv = service.openAttachment(as(tenant, TestHost.ANNA), m, 3);
        assertThat(csv.length()).hasValue(CSV.length());
        assertThat(new String(read(csv), StandardCharsets.US_ASCII)).isEqualTo(CSV);
        AttachmentContent exact = service.openAttachment(as(tenant, TestHost.ANNA), m, 4);
        assertThat(exact.length()).hasValue(2 * RANGE);
        assertThat(new String(read(exact), StandardCharsets.US_ASCII)).isEqualTo(EXACT);
        AttachmentContent letter = service.openAttachment(as(tenant, TestHost.ANNA), m, 5);
        assertThat(letter.length()).hasValue(UTF8.getBytes(StandardCharsets.UTF_8).length);
        assertThat(new String(read(letter), StandardCharsets.UTF_8)).isEqualTo(UTF8);

        assertThat(flags(u, "INBOX", "enc@demo.test")).as("flags on the server").doesNotContain("\\Seen");
    }

    // ------------------------------------------------------------------ found again, or gone

    @Test
    void aMessageWhoseFolderWasRebuiltIsFoundAgainByItsMessageId() throws Exception {
        DovecotUser u = dovecot().newUser();
        byte[] first = "the first message's file".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "the second message's file".getBytes(StandardCharsets.US_ASCII);
        dovecot().deliver(u.name(), "INBOX", withFiles("first@demo.test", List.of(bin("first.bin", first))));
        dovecot().deliver(u.name(), "INBOX", withFiles("second@demo.test", List.of(bin("second.bin", second))));
        MailboxId id = mailbox(u);
        sync(id);
        MessageId m = stored(id, "first@demo.test");
        MessageLocation before = stores.messages().locations(m.value()).get(0);

        FolderStatus rebuilt = dovecot().recreateFolder(u.name(), "INBOX");
        assertThat(rebuilt.uidValidity()).isNotEqualTo(before.uidValidity());
        assertThat(dovecot().uidOf(u.name(), "INBOX", "<first@demo.test>")).as("the old UID names another message")
                .isNotEqualTo(java.util.OptionalLong.of(before.uid()));

        assertThat(read(service.openAttachment(as(tenant, TestHost.ANNA), m, 1))).isEqualTo(first);
        assertThat(read(service.openAttachment(as(tenant, TestHost.ANNA), stored(id, "second@demo.test"), 1))).isEqualTo(second);
    }

    @Test
    void aMessageMovedToAFolderTheSyncDoesNotReadIsFoundThere() throws Exception {
        DovecotUser u = dovecot().newUser();
        byte[] content = "moved along".getBytes(StandardCharsets.US_ASCII);
        long uid = dovecot().deliver(u.name(), "INBOX", withFiles("moved@demo.test", List.of(bin("moved.bin", content))));
        MailboxId id = mailbox(u);
        sync(id);
        dovecot().createFolder(u.name(), "Archive/2026");
        dovecot().doveadm("move", "-u", u.name(), "Archive/2026", "mailbox", "INBOX", "uid", Long.toString(uid));

        assertThat(read(service.openAttachment(as(tenant, TestHost.ANNA), stored(id, "moved@demo.test"), 1))).isEqualTo(content);
        assertThat(flags(u, "Archive/2026", "moved@demo.test")).doesNotContain("\\Seen");
    }

    @Test
    void aMessageDeletedOnTheServerKeepsItsTextButItsAttachmentsAreGone() throws Exception {
        DovecotUser u = dovecot().newUser();
        long uid = dovecot().deliver(u.name(), "INBOX", withFiles("deleted@demo.test", List.of(bin("gone.bin", BINARY))));
        MailboxId id = mailbox(u);
        sync(id);
        MessageId m = stored(id, "deleted@demo.test");
        dovecot().expunge(u.name(), "INBOX", uid);

        // before the sync notices: the stored UID is void, and no folder has its Message-ID
        PostroomException early = catchThrowableOfType(() -> service.openAttachment(as(tenant, TestHost.ANNA), m, 1),
                PostroomException.class);
        assertThat(early.code()).isEqualTo(ErrorCode.MESSAGE_GONE_FROM_SERVER);
        assertThat(early.getMessage()).contains("no longer on the mail server").contains("text stays in the CRM");
        assertThat(service.streaming(id.value())).as("a failed open gives its stream slot back").isZero();

        // after it: no location left, marked deleted on the server, text kept
        sync(id);
        MessageDetail d = stores.messages().find(m.value()).orElseThrow();
        assertThat(d.locations()).isEmpty();
        Message message = service.get(as(tenant, TestHost.ANNA), m);
        assertThat(message.summary().deletedOnServer()).isTrue();
        assertThat(message.summary().folders()).isEmpty();
        assertThat(message.text()).contains("Files attached.");
        assertThat(message.attachments()).hasSize(1);
        PostroomException late = catchThrowableOfType(() -> service.openAttachment(as(tenant, TestHost.ANNA), m, 1),
                PostroomException.class);
        assertThat(late.code()).isEqualTo(ErrorCode.MESSAGE_GONE_FROM_SERVER);
        assertThat(late.details()).containsEntry("message", m.value());
    }

    // ------------------------------------------------------------------ failures

    @Test
    void connectionFailuresAreClassifiedAndNotCountedAgainstTheMailbox() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("fail@demo.test", List.of(bin("f.bin", BINARY))));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            sync(id);
            MessageId m = stored(id, "fail@demo.test");

            proxy.refuseConnections(true);
            ConnectionFailedException refused = catchThrowableOfType(
                    () -> service.openAttachment(as(tenant, TestHost.ANNA), m, 1), ConnectionFailedException.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
            assertThat(refused.failure().kind()).isEqualTo(ConnectionFailure.Kind.CONNECTION_REFUSED);
            proxy.refuseConnections(false);

            MailboxRecord r = record(id);
            stores.mailboxes().update(r.withConnection(r.username(), cipher.encrypt(Secret.of("wrong-password")), r.imap(),
                    r.smtp()), List.of(), false, Instant.now());
            ConnectionFailedException auth = catchThrowableOfType(
                    () -> service.openAttachment(as(tenant, TestHost.ANNA), m, 1), ConnectionFailedException.class);
            assertThat(auth.failure().kind()).isEqualTo(ConnectionFailure.Kind.AUTHENTICATION);
            assertThat(auth.getMessage()).doesNotContain("wrong-password").doesNotContain(u.password());

            assertThat(record(id).consecutiveFailures()).as("failure counter").isZero();
            assertThat(record(id).active()).isTrue();
        }
    }

    @Test
    void aConnectionCutWhileStreamingFailsTheStreamAndClosesCleanly() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("cut@demo.test", List.of(bin("cut.bin", BINARY))));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            sync(id);
            AttachmentContent content = service.openAttachment(as(tenant, TestHost.ANNA), stored(id, "cut@demo.test"), 1);
            InputStream in = content.stream();
            assertThat(in.readNBytes(1000)).isEqualTo(java.util.Arrays.copyOf(BINARY, 1000));
            proxy.dropAll();

            IOException e = catchThrowableOfType(in::readAllBytes, IOException.class);
            assertThat(e.getCause()).isInstanceOf(ConnectionFailedException.class);
            assertThat(((ConnectionFailedException) e.getCause()).failure().step()).isEqualTo(ConnectionFailure.Step.FETCH);
            assertThat(e.getMessage()).startsWith(StreamedAttachment.FAILED);
            assertThat(service.streaming(id.value())).as("the slot is back before close()").isZero();
            content.close();
            assertThat(record(id).consecutiveFailures()).isZero();
        }
    }

    @Test
    void theConnectionIsReleasedAtTheEndOfTheStreamAndWhenClosed() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("release@demo.test", List.of(bin("r.bin", BINARY))));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            sync(id);
            MessageId m = stored(id, "release@demo.test");
            awaitOpenConnections(proxy, 0);

            AttachmentContent content = service.openAttachment(as(tenant, TestHost.ANNA), m, 1);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(content.stream().readAllBytes()).isEqualTo(BINARY);
            awaitOpenConnections(proxy, 0); // logged out at the end of the stream, before close()
            content.close();

            AttachmentContent abandoned = service.openAttachment(as(tenant, TestHost.ANNA), m, 1);
            abandoned.stream().readNBytes(10);
            abandoned.close();
            awaitOpenConnections(proxy, 0);
            assertThat(proxy.connectionsAccepted()).isEqualTo(3); // the sync's and one per attachment
        }
    }

    // ------------------------------------------------------------------ a server that falls silent

    /** The command timeout of {@link #timed()}: short, so that a silent server ends a test in seconds. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The message service over a connector whose IMAP commands (and openings) may take at most
     * {@link #COMMAND_TIMEOUT}; its read timeout (20 s) is far longer, so only the command deadline
     * can end a wait on a silent server within a test. Four streams per mailbox, the default.
     */
    MessageServiceImpl timed() {
        MailConnector timed = MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts(HOST).withPlaintextHosts(HOST)
                .withAllowedPorts().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(10))
                .withCommandTimeout(COMMAND_TIMEOUT));
        return started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes, timed, RANGE,
                MessageServiceImpl.MAILBOXES_PER_QUERY));
    }

    /** A {@link ConnectionFailedException} of the command deadline, in Postroom's words, for the caller to show. */
    static void isCommandTimeout(ConnectionFailedException e, ConnectionFailure.Step step, String what, DovecotUser u) {
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.failure().kind()).isEqualTo(ConnectionFailure.Kind.TIMEOUT);
        assertThat(e.failure().step()).isEqualTo(step);
        assertThat(e.details()).containsEntry("reason", "TIMEOUT").containsEntry("step", step.name());
        assertThat(e.getMessage()).contains("did not answer in time")
                .contains("The mail server had not finished " + what + " after 2 seconds, the limit set by"
                        + " commandTimeoutSeconds of io.postroom.protocol; the connection was closed.")
                .doesNotContain(u.password());
    }

    @Test
    void aDownloadWhoseServerFallsSilentMidwayFailsAsATimeoutAndGivesItsSlotBack() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("silent@demo.test", List.of(bin("silent.bin", BINARY))));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            sync(id);
            MessageId m = stored(id, "silent@demo.test");
            MessageServiceImpl timed = timed();

            // the download that will meet a silent server, and three more: every slot of the mailbox taken
            AttachmentContent silent = timed.openAttachment(as(tenant, TestHost.ANNA), m, 1);
            List<AttachmentContent> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(timed.openAttachment(as(tenant, TestHost.ANNA), m, 1));
            }
            assertThat(timed.streaming(id.value())).isEqualTo(4);
            PostroomException busy = catchThrowableOfType(() -> timed.openAttachment(as(tenant, TestHost.ANNA), m, 1),
                    PostroomException.class);
            assertThat(busy.code()).isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);

            // part of the first range (the base64 of 4 KiB, about 3 KB decoded) read, then the server falls silent
            InputStream in = silent.stream();
            assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(BINARY, 1000));
            proxy.stall(true);
            byte[] buffer = new byte[8192];
            int received = 1000;
            IOException e = null;
            while (e == null) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException failed) {
                    e = failed;
                    break;
                }
                assertThat(n).as("the stream ends only with the whole attachment").isPositive();
                assertThat(Arrays.copyOfRange(buffer, 0, n)).isEqualTo(Arrays.copyOfRange(BINARY, received, received + n));
                received += n;
            }
            assertThat(received).as("the rest of the first range, then the wait for the second").isBetween(1000, RANGE)
                    .isLessThan(BINARY.length);
            assertThat(e.getCause()).isInstanceOf(ConnectionFailedException.class);
            isCommandTimeout((ConnectionFailedException) e.getCause(), ConnectionFailure.Step.FETCH,
                    "answering the IMAP command UID FETCH", u);
            assertThat(e.getMessage()).isEqualTo(StreamedAttachment.FAILED + " " + e.getCause().getMessage());
            assertThat(timed.streaming(id.value())).as("the timed-out download gave its slot back, before close()")
                    .isEqualTo(3);
            // a cut-short attachment never reads as complete: reading on fails again, with the same failure
            IOException again = catchThrowableOfType(() -> in.read(buffer), IOException.class);
            assertThat(again).hasMessage(e.getMessage());
            assertThat(again.getCause()).isSameAs(e.getCause());
            assertThat(catchThrowableOfType(in::read, IOException.class).getCause()).isSameAs(e.getCause());

            silent.close();
            assertThat(timed.streaming(id.value())).as("closing it gives nothing back a second time").isEqualTo(3);
            assertThat(record(id).consecutiveFailures()).as("failure counter").isZero();
            assertThat(record(id).active()).isTrue();

            // the server speaks again: a fifth download starts in the freed slot and gets every byte, as do the others
            proxy.heal();
            AttachmentContent fifth = timed.openAttachment(as(tenant, TestHost.ANNA), m, 1);
            assertThat(timed.streaming(id.value())).isEqualTo(4);
            assertThat(read(fifth)).isEqualTo(BINARY);
            for (AttachmentContent other : others) {
                assertThat(read(other)).isEqualTo(BINARY);
            }
            assertThat(timed.streaming(id.value())).isZero();
            awaitOpenConnections(proxy, 0); // the timed-out connection was let go too
            assertThat(record(id).consecutiveFailures()).isZero();
        }
    }

    @Test
    void openingADownloadWhileTheServerIsSilentFailsAsATimeoutAndTakesNoSlot() throws Exception {
        DovecotUser u = dovecot().newUser();
        dovecot().deliver(u.name(), "INBOX", withFiles("mute@demo.test", List.of(bin("mute.bin", BINARY))));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port(), List.of("INBOX"));
            sync(id);
            MessageId m = stored(id, "mute@demo.test");
            MessageServiceImpl timed = timed();

            proxy.stall(true); // connections are accepted, the greeting never comes
            ConnectionFailedException e = catchThrowableOfType(() -> timed.openAttachment(as(tenant, TestHost.ANNA), m, 1),
                    ConnectionFailedException.class);
            isCommandTimeout(e, ConnectionFailure.Step.CONNECT, "opening the connection (greeting, TLS and login)", u);
            assertThat(timed.streaming(id.value())).as("a failed open gives its stream slot back").isZero();
            assertThat(record(id).consecutiveFailures()).as("failure counter").isZero();
            assertThat(record(id).active()).isTrue();

            proxy.heal();
            assertThat(read(timed.openAttachment(as(tenant, TestHost.ANNA), m, 1))).isEqualTo(BINARY);
            assertThat(timed.streaming(id.value())).isZero();
            awaitOpenConnections(proxy, 0);
        }
    }

    /** Waits (up to 10 s) until the proxy has that many open connections: closing is asynchronous there. */
    static void awaitOpenConnections(FaultProxy proxy, int expected) throws InterruptedException {
        for (int i = 0; i < 200 && proxy.openConnections() != expected; i++) {
            Thread.sleep(50);
        }
        assertThat(proxy.openConnections()).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ a big one

    @Test
    void aFortyMegabyteAttachmentStreamsWithBoundedHeap() throws Exception {
        DovecotUser u = dovecot().newUser();
        long size = 40L * 1024 * 1024;
        BigAttachment big = new BigAttachment("big@demo.test", size);
        dovecot().deliver(u.name(), "INBOX", big);
        MailboxId id = mailbox(u);
        sync(id);
        MessageId m = stored(id, "big@demo.test");
        String expected = big.sha256();

        // through the service, with the default range size
        try (AttachmentContent content = service(1024 * 1024, MessageServiceImpl.MAILBOXES_PER_QUERY)
                .openAttachment(as(tenant, TestHost.ANNA), m, 1); InputStream in = content.stream()) {
            assertThat(content.length()).isEmpty();
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(size);
            assertThat(java.util.HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
        }
        assertThat(flags(u, "INBOX", "big@demo.test")).doesNotContain("\\Seen");

        // the same in a JVM whose heap is smaller than the attachment (54 MB encoded, 40 MB decoded)
        MessageDetail d = stores.messages().find(m.value()).orElseThrow();
        MessageLocation at = d.locations().get(0);
        String part = d.attachments().get(0).part();
        String[] probe = {Integer.toString(dovecot().imapPort()), at.folder(), Long.toString(at.uidValidity()),
            Long.toString(at.uid()), part, "big@demo.test", Long.toString(d.attachments().get(0).size())};
        Probe bounded = probe(u, "32m", probe, 1024 * 1024);
        assertThat(bounded.exitCode()).as(bounded.output()).isZero();
        assertThat(bounded.output()).contains("sha256 " + expected + " " + size);

        // control: the same JVM fetching the part in one piece runs out of memory, so the bound above means something
        Probe whole = probe(u, "32m", probe, Integer.MAX_VALUE);
        assertThat(whole.exitCode()).as(whole.output()).isNotZero();
        assertThat(whole.output()).contains("OutOfMemoryError");
    }

    record Probe(int exitCode, String output) {
    }

    static Probe probe(DovecotUser u, String heap, String[] args, int range) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                AttachmentHeapProbe.class.getName()));
        command.addAll(List.of(args));
        command.add(Integer.toString(range));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PROBE_USER", u.name());
        pb.environment().put("PROBE_PASSWORD", u.password());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the probe did not end: " + output);
        }
        return new Probe(p.exitValue(), output);
    }
}
