package io.postroom.testing.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * One message as RFC 5322 bytes, written on demand (so large messages are never held in memory),
 * with the facts fixtures need to store it: its Message-ID, the date to store as INTERNALDATE and
 * the IMAP flags to give it.
 */
public interface Mail {

    /**
     * The Message-ID header value with its angle brackets ({@code <...@...>}), or null when the
     * message has no Message-ID header.
     */
    String messageId();

    /** The time to store as the message's INTERNALDATE, or null for "now". */
    default Instant receivedAt() {
        return null;
    }

    /** IMAP system flags to store it with ({@code \Seen}, {@code \Answered}, {@code \Flagged}, ...). */
    default Set<String> flags() {
        return Set.of();
    }

    /** Writes the whole message (CRLF line ends unless the message is deliberately broken). */
    void writeTo(OutputStream out) throws IOException;

    /** The whole message in memory: only for small messages. */
    default byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A message given as bytes; its Message-ID is read from its header. */
    static Mail of(byte[] rfc5322) {
        byte[] copy = rfc5322.clone();
        String messageId = Headers.messageId(copy);
        return new Mail() {
            @Override
            public String messageId() {
                return messageId;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(copy);
            }

            @Override
            public String toString() {
                return "Mail[" + messageId + ", " + copy.length + " bytes]";
            }
        };
    }

    /** A message in a file (streamed when written); its Message-ID is read from its header. */
    static Mail of(Path file) {
        String messageId;
        try (InputStream in = Files.newInputStream(file)) {
            messageId = Headers.messageId(in.readNBytes(256 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new Mail() {
            @Override
            public String messageId() {
                return messageId;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                Files.copy(file, out);
            }

            @Override
            public String toString() {
                return "Mail[" + messageId + ", " + file + "]";
            }
        };
    }
}
