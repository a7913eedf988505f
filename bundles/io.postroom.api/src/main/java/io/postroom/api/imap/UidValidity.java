package io.postroom.api.imap;

/** A folder's UIDVALIDITY: a non-zero unsigned 32-bit number; when it changes every cached UID is void. */
public record UidValidity(long value) {
    public UidValidity {
        if (value < 1 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("UIDVALIDITY must be in 1..4294967295, was " + value);
        }
    }

    public static UidValidity of(long value) {
        return new UidValidity(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
