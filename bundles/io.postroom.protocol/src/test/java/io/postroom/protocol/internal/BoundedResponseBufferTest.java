package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.protocol.internal.BoundedResponseBuffer.LimitReached;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.junit.jupiter.api.Test;

/**
 * The bounded response buffer, alone and under Angus's own reader ({@code ResponseInputStream}):
 * growth up to the limit works, one byte more fails before anything is allocated, whether a
 * literal announces the size or a line never ends.
 */
class BoundedResponseBufferTest {

    @Test
    void growsUpToTheLimitExactlyAndNotOneByteMore() {
        BoundedResponseBuffer b = new BoundedResponseBuffer(1000);
        assertThat(b.getBytes()).hasSize(BoundedResponseBuffer.INITIAL_SIZE);

        b.grow(1000 - BoundedResponseBuffer.INITIAL_SIZE);
        assertThat(b.getBytes()).hasSize(1000);

        byte[] before = b.getBytes();
        assertThatThrownBy(() -> b.grow(1)).isInstanceOfSatisfying(LimitReached.class, e -> {
            assertThat(e.limit()).isEqualTo(1000);
            assertThat(e.wanted()).isEqualTo(1001);
        });
        assertThat(b.getBytes()).as("nothing allocated, nothing lost").isSameAs(before);
    }

    @Test
    void aGrowthThatWouldOverflowAnIntIsRefused() {
        BoundedResponseBuffer b = new BoundedResponseBuffer(1 << 20);
        assertThatThrownBy(() -> b.grow(Integer.MAX_VALUE)).isInstanceOfSatisfying(LimitReached.class,
                e -> assertThat(e.wanted()).isEqualTo(BoundedResponseBuffer.INITIAL_SIZE + (long) Integer.MAX_VALUE));
        assertThatThrownBy(() -> b.grow(-1)).isInstanceOf(LimitReached.class);
        assertThat(b.getBytes()).hasSize(BoundedResponseBuffer.INITIAL_SIZE);
    }

    @Test
    void aCallersBufferIsUsedAndBounded() {
        ByteArray given = new ByteArray(16 * 1024);
        BoundedResponseBuffer b = new BoundedResponseBuffer(given.getBytes(), 20_000);
        assertThat(b.getBytes()).isSameAs(given.getBytes());
        assertThatThrownBy(() -> b.grow(20_000 - 16 * 1024 + 1)).isInstanceOf(LimitReached.class);
    }

    // ------------------------------------------------------------------ under Angus's reader

    private static final String PREFIX = "* 1 FETCH (UID 7 BODY[HEADER] {%d}\r\n";

    /** A FETCH response with one literal of {@code size} bytes. */
    private static byte[] fetchWithLiteral(int size) {
        String start = String.format(PREFIX, size);
        byte[] head = start.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + size + 3];
        System.arraycopy(head, 0, all, 0, head.length);
        java.util.Arrays.fill(all, head.length, head.length + size, (byte) 'x');
        all[all.length - 3] = ')';
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    private static ByteArray read(byte[] response, int limit) throws Exception {
        return new ResponseInputStream(new ByteArrayInputStream(response)).readResponse(new BoundedResponseBuffer(limit));
    }

    @Test
    void aLiteralThatFitsTheLimitExactlyIsReadAndOneByteMoreIsNot() throws Exception {
        int literal = 100_000;
        // Angus needs the line before the literal, the literal and 16 bytes of slack
        int needed = String.format(PREFIX, literal).length() + literal + 16;

        ByteArray ok = read(fetchWithLiteral(literal), needed);
        assertThat(ok.getCount()).isEqualTo(fetchWithLiteral(literal).length);
        assertThat(ok.getBytes()).hasSize(needed);

        assertThatThrownBy(() -> read(fetchWithLiteral(literal + 1), needed))
                .isInstanceOfSatisfying(LimitReached.class, e -> assertThat(e.wanted()).isEqualTo(needed + 1L));
    }

    @Test
    void anAnnouncedHugeLiteralIsRefusedBeforeAnyOfItIsAllocatedOrAwaited() {
        // the server announces 2,000,000,000 bytes and sends none: Angus would allocate 2 GB, then wait
        byte[] announce = "* 1 FETCH (UID 7 BODY[HEADER] {2000000000}\r\n".getBytes(StandardCharsets.US_ASCII);
        BoundedResponseBuffer buffer = new BoundedResponseBuffer(1 << 20);
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(announce), new NeverEnding('x'));

        assertThatThrownBy(() -> new ResponseInputStream(in).readResponse(buffer))
                .isInstanceOfSatisfying(LimitReached.class, e -> {
                    assertThat(e.limit()).isEqualTo(1 << 20);
                    assertThat(e.wanted()).isGreaterThan(2_000_000_000L);
                });
        assertThat(buffer.getBytes()).as("still Angus's first 128 bytes").hasSize(BoundedResponseBuffer.INITIAL_SIZE);
        assertThat(buffer.completelyRead()).isFalse();
    }

    @Test
    void aLineWithoutEndStopsAtTheLimit() {
        NeverEnding endless = new NeverEnding('x');
        BoundedResponseBuffer buffer = new BoundedResponseBuffer(1 << 20);

        assertThatThrownBy(() -> new ResponseInputStream(endless).readResponse(buffer))
                .isInstanceOfSatisfying(LimitReached.class, e -> assertThat(e.wanted()).isGreaterThan(1 << 20));
        assertThat(buffer.getBytes()).as("a whole number of MiB is reached exactly").hasSize(1 << 20);
        // what was read: the full buffer and what Angus's 2 KiB BufferedInputStream had taken ahead
        assertThat(endless.served).isLessThanOrEqualTo((1 << 20) + 2 * 1024 + 1);
    }

    @Test
    void theLimitComesFromTheSessionPropertiesAndIsNeverUnbounded() {
        Properties props = new Properties();
        assertThat(BoundedImapProtocol.limitOf(props)).isEqualTo(io.postroom.protocol.ConnectorConfig.DEFAULT_MAX_RESPONSE_BYTES);
        props.setProperty(BoundedImapProtocol.MAX_RESPONSE_BYTES, "65536");
        assertThat(BoundedImapProtocol.limitOf(props)).isEqualTo(65536);
        props.setProperty(BoundedImapProtocol.MAX_RESPONSE_BYTES, "unbounded");
        assertThat(BoundedImapProtocol.limitOf(props)).isEqualTo(io.postroom.protocol.ConnectorConfig.DEFAULT_MAX_RESPONSE_BYTES);
        props.setProperty(BoundedImapProtocol.MAX_RESPONSE_BYTES, "0");
        assertThat(BoundedImapProtocol.limitOf(props)).isEqualTo(io.postroom.protocol.ConnectorConfig.DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** One byte, for ever; counts what it served. */
    private static final class NeverEnding extends InputStream {
        private final int value;
        long served;

        NeverEnding(char value) {
            this.value = value;
        }

        @Override
        public int read() {
            served++;
            return value;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) value);
            served += len;
            return len;
        }
    }
}
