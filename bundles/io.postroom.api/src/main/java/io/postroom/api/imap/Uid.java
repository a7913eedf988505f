package io.postroom.api.imap;

/** A message UID within one folder and UIDVALIDITY: a non-zero unsigned 32-bit number (RFC 3501 §2.3.1.1). */
public record Uid(long value) implements Comparable<Uid> {
    public static final long MAX = 0xFFFF_FFFFL;
    public static final Uid MIN = new Uid(1);

    public Uid {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("UID must be in 1.." + MAX + ", was " + value);
        }
    }

    public static Uid of(long value) {
        return new Uid(value);
    }

    public Uid next() {
        return new Uid(value + 1);
    }

    @Override
    public int compareTo(Uid o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
