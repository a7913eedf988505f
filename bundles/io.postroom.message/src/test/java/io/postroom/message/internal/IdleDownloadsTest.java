package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.message.AttachmentContent;
import io.postroom.testing.ds.ComponentConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Attachment downloads nobody reads are closed after {@code downloadIdleSeconds}: the slot and the
 * IMAP connection go back, the next read says why; a download read slowly but steadily, or waiting
 * for the server, is never closed; deactivating the service closes every download and stops its
 * thread. The time is a ticker the tests move by hand, and the tests run the sweep themselves
 * (one test lets the service's own thread do it): nothing waits for the limit in real time.
 */
class IdleDownloadsTest extends DownloadsFixture {

    // ------------------------------------------------------------------ closed when idle

    @Test
    void aDownloadNobodyReadsIsClosedAfterTheLimitAndItsSlotAndConnectionGoBack() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent idle = s.openAttachment(anna(), files, 1);
        InputStream in = idle.stream();
        assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(BINARY, 100));
        assertThat(proxy.openConnections()).isEqualTo(1);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).code())
                .as("its only slot is taken").isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);

        advance(LIMIT.minusSeconds(1));
        assertThat(s.downloads().closeIdle()).as("not yet").isZero();
        assertThat(streaming(s)).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        long sent = proxy.bytesFromClient();
        assertThat(s.downloads().closeIdle()).isEqualTo(1);
        assertThat(streaming(s)).as("the slot went back").isZero();
        awaitOpenConnections(0);
        await("LOGOUT sent", () -> proxy.bytesFromClient() >= sent + " LOGOUT\r\n".length());
        assertThat(s.downloads().closeIdle()).as("closed once").isZero();

        // every later read says why, whichever read it is: never an error of the connection the close broke
        IOException e = catchThrowableOfType(() -> in.read(new byte[100]), IOException.class);
        assertThat(e).hasMessage(IDLE).hasNoCause();
        assertThat(catchThrowableOfType(in::read, IOException.class)).hasMessage(IDLE);
        assertThat(catchThrowableOfType(in::readAllBytes, IOException.class)).hasMessage(IDLE);
        assertThat(in.available()).isZero();

        // the freed slot (the mailbox's only one) serves the next download
        AttachmentContent next = s.openAttachment(anna(), files, 1);
        assertThat(streaming(s)).isEqualTo(1);
        // closing the idle one now is harmless and gives nothing back a second time: the new download keeps its slot
        idle.close();
        in.close();
        idle.close();
        assertThat(streaming(s)).isEqualTo(1);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).code())
                .isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        assertThat(streaming(s)).isEqualTo(1);
        assertThat(catchThrowableOfType(in::read, IOException.class)).as("closed afterwards: still the idle close")
                .hasMessage(IDLE);
        assertThat(read(next)).isEqualTo(BINARY);
        assertThat(streaming(s)).isZero();
        assertThat(record(mailbox).consecutiveFailures()).as("not a failure of the mailbox").isZero();
    }

    @Test
    void aDownloadNeverReadCountsFromItsOpening() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent never = s.openAttachment(anna(), files, 2);
        advance(LIMIT.minusNanos(1));
        assertThat(s.downloads().closeIdle()).isZero();
        advance(Duration.ofNanos(1));
        assertThat(s.downloads().closeIdle()).isEqualTo(1);
        assertThat(streaming(s)).isZero();
        awaitOpenConnections(0);
        assertThat(catchThrowableOfType(() -> never.stream().readAllBytes(), IOException.class)).hasMessage(IDLE);
        never.close();
        assertThat(streaming(s)).isZero();
        assertThat(new String(read(s.openAttachment(anna(), files, 2)), StandardCharsets.US_ASCII)).isEqualTo(CSV);
    }

    @Test
    void theServicesOwnThreadClosesIdleDownloads() throws Exception {
        // a limit of one second: the service sweeps every 100 ms of real time; the ticker says the second has passed
        MessageServiceImpl s = started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes,
                connector, RANGE, MessageServiceImpl.MAILBOXES_PER_QUERY, 1, Duration.ofSeconds(1), ticker::get));
        AttachmentContent idle = s.openAttachment(anna(), files, 1);
        advance(Duration.ofSeconds(1));
        await("closed by the service's thread", () -> streaming(s) == 0);
        awaitOpenConnections(0);
        assertThat(catchThrowableOfType(() -> idle.stream().read(), IOException.class))
                .hasMessageContaining("closed after 1 seconds without a read").hasMessageContaining("open the attachment again");
        idle.close();
    }

    // ------------------------------------------------------------------ never closed while read

    @Test
    void aDownloadReadSlowlyButSteadilyIsNeverClosed() throws Exception {
        MessageServiceImpl s = service(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int pauses = 0;
        try (AttachmentContent slow = s.openAttachment(anna(), files, 1)) {
            InputStream in = slow.stream();
            advance(LIMIT.minusSeconds(1)); // before the first read: since the opening
            assertThat(s.downloads().closeIdle()).isZero();
            byte[] piece = new byte[97];
            int n;
            while ((n = in.read(piece)) >= 0) {
                got.write(piece, 0, n);
                advance(LIMIT.minusSeconds(1)); // a pause just shorter than the limit after every read
                assertThat(s.downloads().closeIdle()).as("after %d bytes", got.size()).isZero();
                pauses++;
            }
            assertThat(got.toByteArray()).isEqualTo(BINARY);
            assertThat(pauses).as("many times the limit in all").isGreaterThan(100);

            // read to its end: the slot and the connection are back before close(), and the limit no longer applies
            assertThat(streaming(s)).isZero();
            awaitOpenConnections(0);
            advance(Duration.ofHours(1));
            assertThat(s.downloads().closeIdle()).isZero();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(piece)).isEqualTo(-1);
        }
        assertThat(streaming(s)).isZero();
        assertThat(s.downloads().watched()).as("forgotten at the next sweep").isZero();
    }

    @Test
    void aReadWaitingForTheServerIsNotIdle() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent prices = s.openAttachment(anna(), files, 2);
        InputStream in = prices.stream();
        byte[] first = in.readNBytes(RANGE); // the first range, fetched while the message was located
        proxy.stall(true);
        AtomicReference<Object> rest = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                rest.set(in.readAllBytes()); // waits for the second range
            } catch (IOException | RuntimeException e) {
                rest.set(e);
            }
        }, "idle-test-reader");
        reader.start();
        await("the read waits for the server", () -> s.downloads().beingRead() == 1);

        advance(LIMIT.multipliedBy(10));
        assertThat(s.downloads().closeIdle()).as("a read in progress").isZero();
        assertThat(streaming(s)).isEqualTo(1);

        proxy.heal();
        reader.join(10_000);
        assertThat(rest.get()).isInstanceOf(byte[].class);
        byte[] all = new byte[first.length + ((byte[]) rest.get()).length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy((byte[]) rest.get(), 0, all, first.length, ((byte[]) rest.get()).length);
        assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo(CSV);
        assertThat(streaming(s)).isZero();
        prices.close();
    }

    // ------------------------------------------------------------------ the service stops

    @Test
    void deactivatingTheServiceClosesItsDownloadsAndStopsItsThread() throws Exception {
        MessageServiceImpl s = service(4);
        assertThat(s.downloads().threads()).hasSize(1).allMatch(Thread::isAlive);
        AttachmentContent unread = s.openAttachment(anna(), files, 1);
        AttachmentContent partly = s.openAttachment(anna(), files, 1);
        assertThat(partly.stream().readNBytes(10)).isEqualTo(Arrays.copyOf(BINARY, 10));
        // and one whose read waits for a silent server
        AttachmentContent waiting = s.openAttachment(anna(), files, 2);
        InputStream in = waiting.stream();
        in.readNBytes(RANGE);
        proxy.stall(true);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                result.set(in.readAllBytes());
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
        }, "idle-test-reader");
        reader.start();
        await("the read waits for the server", () -> s.downloads().beingRead() == 1);
        assertThat(streaming(s)).isEqualTo(3);

        s.deactivate();
        reader.join(10_000);
        assertThat(reader.isAlive()).as("the waiting read was cut off").isFalse();
        assertThat(streaming(s)).isZero();
        assertThat(s.downloads().threads()).as("no thread left").hasSize(1).noneMatch(Thread::isAlive);
        assertThat(result.get()).isInstanceOf(IOException.class);
        assertThat((IOException) result.get()).hasMessage(OpenDownloads.STOPPED);
        for (AttachmentContent c : List.of(unread, partly, waiting)) {
            assertThat(catchThrowableOfType(() -> c.stream().read(), IOException.class))
                    .hasMessageContaining("message service stopped").hasMessageContaining("open the attachment again");
            c.close();
        }
        assertThat(streaming(s)).isZero();
        proxy.heal();
        awaitOpenConnections(0);

        // a stopped service opens no attachment: no slot taken, no connection made
        int connections = proxy.connectionsAccepted();
        PostroomException e = catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("message service is stopping").contains("try again");
        assertThat(streaming(s)).isZero();
        assertThat(proxy.connectionsAccepted()).isEqualTo(connections);
        s.deactivate(); // twice is harmless
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void theLimitComesFromTheConfigurationAndIsAtLeastOneSecond() {
        MessageServiceImpl defaults = started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes,
                connector, ComponentConfig.defaults(MessageConfig.class)));
        assertThat(defaults.downloads().idleLimit()).isEqualTo(Duration.ofSeconds(300));
        MessageServiceImpl one = started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes,
                connector, ComponentConfig.of(MessageConfig.class, Map.of("downloadIdleSeconds", 1))));
        assertThat(one.downloads().idleLimit()).isEqualTo(Duration.ofSeconds(1));

        assertThatThrownBy(() -> new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes, connector,
                ComponentConfig.of(MessageConfig.class, Map.of("downloadIdleSeconds", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("downloadIdleSeconds of io.postroom.message must be between 1 and 86400 (seconds), not 0");
    }
}
