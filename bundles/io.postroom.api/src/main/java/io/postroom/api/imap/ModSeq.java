package io.postroom.api.imap;

/** A CONDSTORE modification sequence (RFC 7162): a positive 63-bit number. */
public record ModSeq(long value) implements Comparable<ModSeq> {
    public ModSeq {
        if (value < 1) {
            throw new IllegalArgumentException("MODSEQ must be positive, was " + value);
        }
    }

    public static ModSeq of(long value) {
        return new ModSeq(value);
    }

    @Override
    public int compareTo(ModSeq o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
