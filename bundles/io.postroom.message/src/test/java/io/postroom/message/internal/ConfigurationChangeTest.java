package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.message.AttachmentContent;
import io.postroom.testing.ds.ComponentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A change of the configuration (PID io.postroom.message) reaches the running service through its
 * {@code @Modified} method, as SCR delivers it: no download is closed; a new fetch size and stream
 * limit count for the downloads opened afterwards, a new idle limit for every download from the
 * next sweep on (the service's own thread sweeps at the new pace); a configuration activation would
 * refuse is refused with the same message and changes nothing.
 */
class ConfigurationChangeTest extends DownloadsFixture {

    static MessageConfig config(Map<String, ?> values) {
        return ComponentConfig.of(MessageConfig.class, values);
    }

    @Test
    void aChangeClosesNoDownloadAndCountsForTheDownloadsOpenedAfterIt() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent before = s.openAttachment(anna(), files, 2); // 7bit: available() is what is left of the range held
        InputStream in = before.stream();
        assertThat(in.readNBytes(RANGE)).isEqualTo(CSV.substring(0, RANGE).getBytes(StandardCharsets.US_ASCII));
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 2), PostroomException.class).code())
                .isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        List<Thread> sweeper = s.downloads().threads();

        s.modified(config(Map.of("attachmentFetchKib", 16, "attachmentStreamsPerMailbox", 2, "downloadIdleSeconds", 60)));
        assertThat(s.settings()).isEqualTo(new DownloadSettings(16 * 1024, 2, Duration.ofSeconds(60)));
        assertThat(s.downloads().idleLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.downloads().threads()).as("the same sweeping thread").isEqualTo(sweeper).allMatch(Thread::isAlive);

        // the open download goes on, with the ranges it was opened with
        assertThat(streaming(s)).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
        assertThat(in.read()).isEqualTo(CSV.charAt(RANGE));
        assertThat(in.available()).as("its second range: 4 KiB as before").isEqualTo(RANGE - 1);

        // a second download of the mailbox now gets a slot, and a range of 16 KiB: the whole CSV at once
        AttachmentContent after = s.openAttachment(anna(), files, 2);
        assertThat(streaming(s)).isEqualTo(2);
        InputStream in2 = after.stream();
        assertThat(in2.read()).isEqualTo(CSV.charAt(0));
        assertThat(in2.available()).isEqualTo(CSV.length() - 1);
        PostroomException busy = catchThrowableOfType(() -> s.openAttachment(anna(), files, 2), PostroomException.class);
        assertThat(busy.code()).isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        assertThat(busy.details()).containsEntry("limit", 2);
        assertThat(busy.getMessage()).contains("already streaming 2 attachments, as many as its mail server");

        // the new idle limit applies to both from the next sweep on, the download opened before the change included
        advance(Duration.ofSeconds(59));
        assertThat(s.downloads().closeIdle()).isZero();
        advance(Duration.ofSeconds(1));
        assertThat(s.downloads().closeIdle()).isEqualTo(2);
        assertThat(streaming(s)).isZero();
        String idle60 = IDLE.replace("after 300 seconds", "after 60 seconds");
        assertThat(catchThrowableOfType(in::read, IOException.class)).hasMessage(idle60);
        assertThat(catchThrowableOfType(in2::read, IOException.class)).hasMessage(idle60);
        before.close();
        after.close();

        // deleting the configuration brings the defaults back, the same way
        s.modified(ComponentConfig.defaults(MessageConfig.class));
        assertThat(s.settings()).isEqualTo(new DownloadSettings(1024 * 1024, 4, Duration.ofSeconds(300)));
        assertThat(s.downloads().idleLimit()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void aLoweredStreamLimitKeepsTheDownloadsBeyondItAndRefusesNewOnesUntilFewerAreOpen() throws Exception {
        MessageServiceImpl s = service(3);
        List<AttachmentContent> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(s.openAttachment(anna(), files, 1));
        }
        s.modified(config(Map.of("attachmentFetchKib", RANGE / 1024, "attachmentStreamsPerMailbox", 1)));
        assertThat(streaming(s)).isEqualTo(3);
        assertThat(proxy.openConnections()).isEqualTo(3);

        PostroomException e = catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        assertThat(e.details()).containsEntry("limit", 1);
        assertThat(e.getMessage()).contains("is already streaming 3 attachments, more than the 1 its mail server is asked"
                + " to serve at once; try again when one of them has finished.");
        assertThat(read(open.remove(0))).as("read to its end, as they all can be").isEqualTo(BINARY);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).getMessage())
                .contains("already streaming 2 attachments, more than the 1");
        open.remove(0).close();
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).getMessage())
                .contains("already streaming 1 attachments, as many as");
        assertThat(read(open.remove(0))).isEqualTo(BINARY);
        assertThat(streaming(s)).isZero();
        assertThat(read(s.openAttachment(anna(), files, 1))).isEqualTo(BINARY);
    }

    @Test
    void theServicesOwnThreadSweepsAtTheNewLimitsPace() throws Exception {
        MessageServiceImpl s = service(1); // 300 s: its thread sweeps every 30 s
        AttachmentContent idle = s.openAttachment(anna(), files, 1);
        s.modified(config(Map.of("attachmentFetchKib", RANGE / 1024, "attachmentStreamsPerMailbox", 1,
                "downloadIdleSeconds", 1))); // every 100 ms from now on
        advance(Duration.ofSeconds(1));
        await("closed by the service's thread", () -> streaming(s) == 0);
        awaitOpenConnections(0);
        assertThat(catchThrowableOfType(() -> idle.stream().read(), IOException.class))
                .hasMessageContaining("closed after 1 seconds without a read");
        idle.close();

        List<Thread> sweeper = s.downloads().threads();
        assertThat(sweeper).hasSize(1);
        s.deactivate();
        assertThat(sweeper).noneMatch(Thread::isAlive);
        s.modified(config(Map.of("downloadIdleSeconds", 5))); // SCR never does; harmless
        assertThat(s.downloads().threads()).isEqualTo(sweeper).noneMatch(Thread::isAlive);
    }

    // ------------------------------------------------------------------ refused

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Map.of("downloadIdleSeconds", 0),
                        "downloadIdleSeconds of io.postroom.message must be between 1 and 86400 (seconds), not 0"),
                Arguments.of(Map.of("downloadIdleSeconds", -5),
                        "downloadIdleSeconds of io.postroom.message must be between 1 and 86400 (seconds), not -5"),
                Arguments.of(Map.of("attachmentStreamsPerMailbox", 0),
                        "attachmentStreamsPerMailbox of io.postroom.message must be between 1 and 64, not 0"),
                Arguments.of(Map.of("attachmentFetchKib", 0),
                        "attachmentFetchKib of io.postroom.message must be between 1 and 16384 (KiB), not 0"),
                Arguments.of(Map.of("attachmentFetchKib", 16385),
                        "attachmentFetchKib of io.postroom.message must be between 1 and 16384 (KiB), not 16385"),
                // one good value next to a bad one: not applied either
                Arguments.of(Map.of("attachmentStreamsPerMailbox", 4, "downloadIdleSeconds", 0),
                        "downloadIdleSeconds of io.postroom.message must be between 1 and 86400 (seconds), not 0"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aConfigurationActivationRefusesIsRefusedWithTheSameMessageAndChangesNothing(Map<String, ?> values, String message)
            throws Exception {
        assertThatThrownBy(() -> new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes, connector,
                config(values))).as("activation").isInstanceOf(IllegalArgumentException.class).hasMessage(message);

        MessageServiceImpl s = service(1);
        DownloadSettings running = s.settings();
        AttachmentContent open = s.openAttachment(anna(), files, 1);
        InputStream in = open.stream();
        assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(BINARY, 100));

        assertThatThrownBy(() -> s.modified(config(values))).as("a change").isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(s.settings()).isEqualTo(running);
        assertThat(s.downloads().idleLimit()).isEqualTo(LIMIT);
        // the running configuration holds: one stream, closed after 300 s without a read; the open download goes on
        assertThat(streaming(s)).isEqualTo(1);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).code())
                .isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOfRange(BINARY, 100, 200));
        advance(LIMIT.minusSeconds(1));
        assertThat(s.downloads().closeIdle()).isZero();
        advance(Duration.ofSeconds(1));
        assertThat(s.downloads().closeIdle()).isEqualTo(1);
        assertThat(catchThrowableOfType(in::read, IOException.class)).hasMessage(IDLE);
        open.close();

        // a good change after the refused one is applied
        s.modified(config(Map.of("attachmentFetchKib", RANGE / 1024, "attachmentStreamsPerMailbox", 2)));
        AttachmentContent one = s.openAttachment(anna(), files, 1);
        AttachmentContent two = s.openAttachment(anna(), files, 1);
        assertThat(streaming(s)).isEqualTo(2);
        assertThat(read(one)).isEqualTo(BINARY);
        assertThat(read(two)).isEqualTo(BINARY);
    }

    /** Configuration Admin hands over any value: each bound of the metatype is checked, naming the property. */
    @Test
    void theMetatypesBoundsAreEnforced() {
        io.postroom.testing.ds.MetatypeBounds.assertEnforced(MessageConfig.class, MessageConfig.PID, DownloadSettings::of);
    }
}
