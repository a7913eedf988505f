package io.postroom.protocol.internal;

import org.eclipse.angus.mail.iap.ByteArray;

/**
 * The buffer Angus reads one IMAP response into, refusing to grow past a limit. Angus's
 * {@code ResponseInputStream.readResponse} grows its buffer by the size of every literal the
 * server announces ({@code {2000000000}}: one 2 GB array, then a wait for the bytes) and by
 * steps while a line has no CRLF (an endless line grows for ever). Both go through
 * {@link #grow(int)}, which here checks the new capacity before the array is allocated.
 *
 * <p>The capacity never exceeds the limit: a growth request that would pass it fails, whatever
 * asked for it. Angus grows a line's buffer in steps (doubling up to 256 KiB, then 256 KiB at a
 * time), so a line stops at the last step below the limit; a limit that is a multiple of 256 KiB
 * (any whole number of MiB) is reached exactly. A literal asks for exactly what it needs (its
 * size and 16 bytes of Angus's slack), so a response with a literal fits when its bytes before the
 * literal, the literal and 16 bytes fit.
 *
 * <p>{@link #grow(int)} cannot throw a checked exception (Angus's signature), so it throws
 * {@link LimitReached}; {@link BoundedImapProtocol#readResponse()} turns that into a
 * {@link ResponseTooLargeException} (an {@code IOException}) before Angus sees it.
 */
final class BoundedResponseBuffer extends ByteArray {
    /** Angus's own first size for a response buffer. */
    static final int INITIAL_SIZE = 128;

    private final int limit;
    private boolean read;

    /** A new, empty buffer. */
    BoundedResponseBuffer(int limit) {
        this(new byte[Math.min(INITIAL_SIZE, limit)], limit);
    }

    /** A buffer over a caller's array (Angus's partial fetches hand one in), bounded from here on. */
    BoundedResponseBuffer(byte[] bytes, int limit) {
        super(bytes, 0, bytes.length);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /**
     * Grows the array by {@code incr} bytes, or throws {@link LimitReached} (nothing allocated)
     * when the new capacity would exceed the limit.
     */
    @Override
    public void grow(int incr) {
        long wanted = (long) getBytes().length + incr;
        if (incr < 0 || wanted > limit) {
            throw new LimitReached(limit, wanted);
        }
        super.grow(incr);
    }

    /** Angus sets the count once, after the whole response was read. */
    @Override
    public void setCount(int count) {
        super.setCount(count);
        read = true;
    }

    /** Whether the response was read to its end (a failure before that was a failure to read, not to parse). */
    boolean completelyRead() {
        return read;
    }

    /** A response that needs more than the limit; thrown by {@link #grow(int)}, before anything is allocated. */
    static final class LimitReached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int limit;
        private final long wanted;

        LimitReached(int limit, long wanted) {
            super("an IMAP response needs " + wanted + " bytes, more than the limit of " + limit, null, false, false);
            this.limit = limit;
            this.wanted = wanted;
        }

        int limit() {
            return limit;
        }

        /** The capacity the growth asked for. */
        long wanted() {
            return wanted;
        }
    }
}
