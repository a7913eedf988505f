package io.postroom.message.internal;

import io.postroom.api.PostroomException;
import io.postroom.message.internal.ImapSession.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The bytes of one body part as the server keeps them (transfer encoding still applied), fetched
 * in partial ranges of a fixed size ({@code BODY.PEEK[part]<offset.size>}) as they are read: at
 * most one range is held in memory. A range shorter than asked for is the last one; the session
 * is then closed (end of stream) so that the connection goes back as soon as possible. Once a
 * range could not be fetched, every later read fails with that first failure (a timeout stays a
 * timeout; the connection it broke would only add a network error of its own).
 */
final class PartStream extends InputStream {
    private final ImapSession session;
    private final long uid;
    private final String part;
    private final int rangeSize;
    private final Supplier<PostroomException> gone;
    private Chunk current;
    private int position;
    private long offset;
    private boolean ended;
    private boolean closed;
    private PostroomException failure; // why a range could not be fetched: every later read fails with it

    /**
     * @param first the first range, fetched while the message was located
     * @param gone  the error when the message disappears from the folder while it is read
     */
    PartStream(ImapSession session, long uid, String part, int rangeSize, Chunk first, Supplier<PostroomException> gone) {
        this.session = Objects.requireNonNull(session, "session");
        this.uid = uid;
        this.part = Objects.requireNonNull(part, "part");
        this.rangeSize = rangeSize;
        this.gone = gone;
        this.current = Objects.requireNonNull(first, "first");
        this.offset = first.length();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("The attachment was closed.");
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (len == 0) {
            return 0;
        }
        while (position >= current.length()) {
            if (current.last()) {
                end();
                return -1;
            }
            next();
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), current.start() + position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return Math.max(0, current.length() - position);
    }

    private void next() throws IOException {
        Chunk c;
        try {
            c = session.fetchPart(uid, part, offset, rangeSize);
        } catch (PostroomException e) {
            failure = e;
            throw new IOException(e.getMessage(), e);
        }
        if (c == null) {
            failure = gone.get();
            throw new IOException(failure.getMessage(), failure);
        }
        offset += c.length();
        current = c;
        position = 0;
    }

    private void end() {
        if (!ended) {
            ended = true;
            current = new Chunk(new byte[0], 0, 0, true); // let go of the last range
            session.close();
        }
    }

    /** Bytes fetched so far. */
    long fetched() {
        return offset;
    }

    @Override
    public void close() {
        closed = true;
        end();
    }
}
