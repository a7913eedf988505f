package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.Actor;
import io.postroom.api.TenantId;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.MessageId;
import io.postroom.message.internal.Mails.Attachment;
import io.postroom.testing.greenmail.GreenMailServers;
import io.postroom.testing.host.TestHost;
import io.postroom.testing.proxy.FaultProxy;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One mailbox on GreenMail behind a {@link FaultProxy} (which counts the IMAP connections open and
 * can stall or cut them), holding one message with two attachments, for tests of how attachment
 * downloads end and what limits them: services on a ticker the tests move by hand, so that nothing
 * waits for an idle limit in real time.
 */
abstract class DownloadsFixture extends MessageFixture {
    private static final Session SESSION = Session.getInstance(new Properties());
    static final byte[] BINARY = new byte[10_000];
    /** 7bit, over three ranges: the stream is the part's bytes, so a test knows where a range ends. */
    static final String CSV;
    static final Duration LIMIT = Duration.ofSeconds(300);
    static final String IDLE = "The download of this attachment was closed after 300 seconds without a read (the limit set"
            + " by downloadIdleSeconds of io.postroom.message), and its connection to the mail server with it; open the"
            + " attachment again to read it.";

    static {
        new Random(11).nextBytes(BINARY);
        StringBuilder csv = new StringBuilder("product,unit price EUR,quantity\r\n");
        for (int i = 0; csv.length() < 2 * RANGE + 1000; i++) {
            csv.append("Product ").append(i).append(',').append(17 + i % 7).append(".10,").append(i * 3).append("\r\n");
        }
        CSV = csv.toString().strip(); // GreenMail drops a part's last line break
    }

    /** Nanoseconds, moved by hand. */
    final AtomicLong ticker = new AtomicLong(1_000_000_000L);
    GreenMail mail;
    FaultProxy proxy;
    TenantId tenant;
    MailboxId mailbox;
    MessageId files;
    GreenMailUser user;

    @BeforeAll
    void seed() throws Exception {
        mail = GreenMailServers.start(GreenMailConfiguration.aConfig(), ServerSetup.PROTOCOL_IMAP);
        proxy = FaultProxy.start(mail.getImap().getPort());
        tenant = host.newTenant("idle-" + UUID.randomUUID());
        String address = newAddress("anna");
        String password = "pw-" + UUID.randomUUID();
        user = mail.setUser(address, address, password);
        put("idle-files@demo.test", List.of(
                new Attachment("report.bin", "application/octet-stream", "base64", BINARY),
                new Attachment("prices.csv", "text/csv; charset=us-ascii", "7bit", CSV.getBytes(StandardCharsets.US_ASCII))));
        mailbox = mailbox(tenant, address, address, password, proxy.port(), List.of("INBOX"));
        sync(mailbox);
        files = stored(mailbox, "idle-files@demo.test");
        awaitOpenConnections(0); // the sync's
    }

    /** Puts a message with these attachments into the mailbox's INBOX on the server (the sync stores it). */
    void put(String messageId, List<Attachment> attachments) throws Exception {
        byte[] raw = Mails.message(messageId, "Jordan Lee <jordan@fabrikam.test>", "Files for you",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1)), null, "Files attached.\n",
                attachments);
        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        inbox().appendMessage(m, new Flags(), m.getSentDate());
    }

    MailFolder inbox() throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(user);
    }

    @AfterEach
    void heal() throws Exception {
        proxy.heal();
        awaitOpenConnections(0);
    }

    @AfterAll
    void stopServers() {
        if (proxy != null) {
            proxy.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    /** A service on the hand-moved ticker, closing downloads after {@link #LIMIT} without a read. */
    MessageServiceImpl service(int streamsPerMailbox) {
        return started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes, connector, RANGE,
                MessageServiceImpl.MAILBOXES_PER_QUERY, streamsPerMailbox, LIMIT, ticker::get));
    }

    void advance(Duration d) {
        ticker.addAndGet(d.toNanos());
    }

    Actor anna() {
        return as(tenant, TestHost.ANNA);
    }

    int streaming(MessageServiceImpl s) {
        return s.streaming(mailbox.value());
    }

    /** Waits (up to 5 s; milliseconds in practice) for something another thread does. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    /** The proxy closes its side of a connection asynchronously. */
    void awaitOpenConnections(int expected) throws InterruptedException {
        await(expected + " IMAP connections open", () -> proxy.openConnections() == expected);
    }

}
