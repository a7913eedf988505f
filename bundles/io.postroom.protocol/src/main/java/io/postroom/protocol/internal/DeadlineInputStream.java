package io.postroom.protocol.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * The input stream of an IMAP connection's (or SMTP session's) plain socket, read under its {@link CommandDeadline}:
 * each read waits at most until the deadline, and once it has passed the socket is closed and the
 * read fails with a {@link CommandTimeoutException}, as every later read of the connection does.
 * Without a deadline (no command outstanding) it reads as the socket does, with the read timeout.
 */
final class DeadlineInputStream extends FilterInputStream {

    /** The socket side: its read timeout and closing it. */
    interface Control {
        /** The read timeout as configured (ms; 0 is infinite). */
        int readTimeout();

        /** Sets the socket's {@code SO_TIMEOUT} for the next read, without changing the configured one. */
        void waitAtMost(int millis) throws IOException;

        void close() throws IOException;
    }

    @FunctionalInterface
    private interface Read {
        long read() throws IOException;
    }

    private final CommandDeadline deadline;
    private final Control socket;
    private volatile CommandTimeoutException expired;

    DeadlineInputStream(InputStream in, CommandDeadline deadline, Control socket) {
        super(in);
        this.deadline = deadline;
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        return (int) guarded(() -> in.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return (int) guarded(() -> in.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        return guarded(() -> in.skip(n));
    }

    private long guarded(Read read) throws IOException {
        CommandTimeoutException late = expired;
        if (late != null) {
            throw late;
        }
        CommandDeadline.Due due = deadline.due();
        int configured = socket.readTimeout();
        if (due == null) {
            socket.waitAtMost(configured);
            return read.read();
        }
        long left = due.at() - deadline.now();
        if (left <= 0) {
            throw expire(due, null);
        }
        long leftMillis = (left + 999_999) / 1_000_000;
        socket.waitAtMost(configured > 0 && configured <= leftMillis ? configured : (int) Math.min(leftMillis, Integer.MAX_VALUE));
        try {
            return read.read();
        } catch (SocketTimeoutException e) {
            if (due.at() - deadline.now() <= 0) {
                throw expire(due, e);
            }
            throw e; // the read timeout: the server was silent for that long
        }
    }

    private CommandTimeoutException expire(CommandDeadline.Due due, SocketTimeoutException cause) {
        CommandTimeoutException e = deadline.expired(due, cause);
        expired = e;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
        return e;
    }
}
