package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.AttachmentInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attachment being streamed: the decoded stream over a {@link PartStream}, handed to the caller
 * through a stream that notes when it was last read. It holds one of the mailbox's download slots
 * ({@code onClose} gives it back) and an IMAP connection until one of these ends it, whichever
 * comes first:
 * <ul>
 * <li>the caller reads it to its end: the connection was logged out at the end of the part, the
 *     slot goes back, later reads find the end again;</li>
 * <li>the caller closes it, or its stream: logs out;</li>
 * <li>a read fails (the connection dropped or timed out, the server refused the FETCH, the message
 *     disappeared from the folder): the download is over, since a {@link PartStream} keeps its
 *     first failure. It lets go at once, before that read throws: the connection broken off
 *     without waiting for the server, the slot given back, so that neither waits for the caller's
 *     {@code close()} or the idle limit. That read and every later one fail with {@link #FAILED}
 *     followed by the failure's own words (for a message gone from the folder: those words alone),
 *     and with the failure (the {@link PostroomException}, a
 *     {@link io.postroom.api.ConnectionFailedException} for the network) as the cause, the same
 *     one each time. Closing it afterwards does nothing.</li>
 * <li>{@link OpenDownloads} closes it because nobody read it for the idle limit
 *     ({@link #closeIfIdle}), or because the service stops ({@link #stop}): logged out without
 *     waiting for the server, and every later read fails with that reason, never with an error of
 *     the connection the close broke (as a {@link PartStream} keeps its first failure). Closing it
 *     afterwards does nothing.</li>
 * </ul>
 * A read in progress is never idle: only the time since the last read returned (or since the
 * opening, before the first read) counts.
 */
final class StreamedAttachment implements AttachmentContent {
    private static final Logger LOG = LoggerFactory.getLogger(StreamedAttachment.class);

    private enum State { OPEN, ENDED, CLOSED, STOPPED, FAILED }

    /** The beginning of what every read of a download whose read failed says, followed by the failure. */
    static final String FAILED = "The download of this attachment failed and was closed, and its connection to the mail"
            + " server with it; open the attachment again to read it.";

    private final AttachmentInfo info;
    private final InputStream decoded;
    private final OptionalLong length;
    private final ImapSession session;
    private final Runnable onClose;
    private final LongSupplier ticker;
    private final InputStream stream = new Reading();
    // guarded by this; each way out of OPEN is taken once, by one thread, which runs onClose
    private State state = State.OPEN;
    private boolean reading;
    private long lastRead;
    private String stoppedBecause;
    private IOException failure; // FAILED: the message and cause of every read's exception

    /**
     * @param onClose gives the download slot back (run once, when the download ends in any way)
     * @param ticker  nanoseconds as {@link System#nanoTime()} counts them (a hand-driven one in tests)
     */
    StreamedAttachment(AttachmentInfo info, InputStream decoded, OptionalLong length, ImapSession session, Runnable onClose,
                       LongSupplier ticker) {
        this.info = info;
        this.decoded = decoded;
        this.length = length;
        this.session = session;
        this.onClose = onClose;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.lastRead = ticker.getAsLong();
    }

    @Override
    public AttachmentInfo info() {
        return info;
    }

    @Override
    public InputStream stream() {
        return stream;
    }

    @Override
    public OptionalLong length() {
        return length;
    }

    @Override
    public void close() {
        if (leave(State.CLOSED)) {
            release();
        }
    }

    /** Closes the part's stream and the session, then gives the slot back (once: after OPEN was left). */
    private void release() {
        try {
            decoded.close();
        } catch (IOException | RuntimeException e) {
            // the session below is closed either way
        } finally {
            try {
                session.close();
            } finally {
                onClose.run();
            }
        }
    }

    /** Whether it still holds its slot (neither ended, nor closed, nor stopped). */
    synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether a read of it is in progress. */
    synchronized boolean isBeingRead() {
        return reading;
    }

    /**
     * Closes it when no read is in progress and none has returned for {@code idleNanos} (before the
     * first read: since the opening); later reads fail with {@code why}.
     *
     * @return whether it was closed now
     */
    boolean closeIfIdle(long now, long idleNanos, String why) {
        synchronized (this) {
            if (state != State.OPEN || reading || now - lastRead < idleNanos) {
                return false;
            }
            state = State.STOPPED;
            stoppedBecause = why;
        }
        disconnect(false);
        return true;
    }

    /**
     * Closes it now, read or not (the service stops); later reads, and a read in progress, fail
     * with {@code why}. A no-op when it has already ended.
     */
    void stop(String why) {
        boolean readingNow;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.STOPPED;
            stoppedBecause = why;
            readingNow = reading;
        }
        disconnect(readingNow);
    }

    /**
     * Lets the connection go without waiting for the server, then gives the slot back: from a
     * thread other than the reader's (idle, stopping), or from the reader's own after its read
     * failed. While a read is in progress the connection is only broken off (the read then fails at
     * once); the reading thread closes the rest when its read returns.
     */
    private void disconnect(boolean readingNow) {
        try {
            if (readingNow) {
                session.abort();
            } else {
                session.logoutNow();
                decoded.close(); // lets go of the range held in memory; the session is closed already
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing {} failed: {}", this, e.toString());
        } finally {
            onClose.run();
        }
    }

    /** OPEN to {@code next}: whether this call made the change. */
    private synchronized boolean leave(State next) {
        if (state != State.OPEN) {
            return false;
        }
        state = next;
        return true;
    }

    @Override
    public String toString() {
        return "Attachment " + info.index() + " (" + info.contentType() + ") over " + session;
    }

    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }

    /** The caller's stream over {@link #decoded}: notes each read for the idle limit, and ends the download at its end. */
    private final class Reading extends InputStream {

        @Override
        public int read() throws IOException {
            return read(decoded::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return read(() -> decoded.read(b, off, len));
        }

        private int read(Read r) throws IOException {
            synchronized (StreamedAttachment.this) {
                switch (state) {
                    case STOPPED -> throw new IOException(stoppedBecause);
                    case FAILED -> throw new IOException(failure.getMessage(), failure.getCause());
                    case CLOSED -> throw new IOException("The attachment was closed.");
                    case ENDED -> {
                        return -1;
                    }
                    default -> reading = true;
                }
            }
            int n;
            try {
                n = r.read();
            } catch (IOException | RuntimeException e) {
                if (readDone()) {
                    throw stoppedMeanwhile(e);
                }
                throw failed(e);
            }
            if (readDone()) {
                throw stoppedMeanwhile(null);
            }
            if (n < 0 && leave(State.ENDED)) {
                release(); // the part's end: PartStream logged out already; the slot goes back without waiting for close()
            }
            return n;
        }

        /** After a read: notes its time; whether the download was stopped while it was in progress. */
        private boolean readDone() {
            synchronized (StreamedAttachment.this) {
                reading = false;
                lastRead = ticker.getAsLong();
                return state == State.STOPPED;
            }
        }

        /**
         * A read failed on its own (not cut off by {@link #stop}): OPEN to FAILED, and everything
         * let go before the failure reaches the caller. The reading thread is the only one using
         * the session now, so it is logged out at once: the LOGOUT written without waiting for an
         * answer (not at all on a connection that broke), the connection broken off and closed.
         * When the caller closed the download meanwhile, the failure is thrown as it is.
         */
        private IOException failed(Exception e) {
            IOException failure = failure(e);
            synchronized (StreamedAttachment.this) {
                if (state != State.OPEN) {
                    return e instanceof IOException io ? io : failure;
                }
                state = State.FAILED;
                StreamedAttachment.this.failure = failure;
            }
            LOG.debug("Reading {} failed, closing it: {}", StreamedAttachment.this, e.toString());
            disconnect(false);
            return new IOException(failure.getMessage(), failure.getCause());
        }

        /** The read's failure for the caller: why, the Postroom failure underneath as the cause. */
        private IOException failure(Exception e) {
            Throwable cause = e;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof PostroomException p) {
                    cause = p;
                    break;
                }
            }
            if (cause instanceof PostroomException p && p.code() == ErrorCode.MESSAGE_GONE_FROM_SERVER) {
                return new IOException(p.getMessage(), p); // says itself what there is to do
            }
            String why = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName()
                    : cause.getMessage();
            return new IOException(FAILED + " " + why, cause);
        }

        /** The read was cut off by {@link #stop}: the connection is broken off already, closing the rest takes no time. */
        private IOException stoppedMeanwhile(Exception cut) {
            try {
                decoded.close();
            } catch (IOException | RuntimeException e) {
                // closed either way
            } finally {
                session.close();
            }
            String why;
            synchronized (StreamedAttachment.this) {
                why = stoppedBecause;
            }
            IOException e = new IOException(why);
            if (cut != null) {
                e.addSuppressed(cut);
            }
            return e;
        }

        @Override
        public int available() throws IOException {
            synchronized (StreamedAttachment.this) {
                if (state != State.OPEN) {
                    return 0;
                }
            }
            return decoded.available();
        }

        /** Closes the whole download: the connection and the slot. */
        @Override
        public void close() {
            StreamedAttachment.this.close();
        }
    }
}
