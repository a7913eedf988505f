package io.postroom.sync.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** IMAP UID sets ({@code 1:5,9,12:14}) from and to numbers. */
final class UidSets {
    private UidSets() {
    }

    static String of(Collection<Long> uids) {
        TreeSet<Long> sorted = new TreeSet<>(uids);
        StringBuilder sb = new StringBuilder();
        Long start = null;
        Long prev = null;
        for (long u : sorted) {
            if (start == null) {
                start = u;
            } else if (u != prev + 1) {
                append(sb, start, prev);
                start = u;
            }
            prev = u;
        }
        if (start != null) {
            append(sb, start, prev);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, long from, long to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(from);
        if (to != from) {
            sb.append(':').append(to);
        }
    }

    /** Ranges of a UID set; {@code *} is read as {@code max}. */
    static List<long[]> parse(String set, long max) {
        List<long[]> ranges = new ArrayList<>();
        if (set == null || set.isBlank()) {
            return ranges;
        }
        for (String part : set.strip().split(",")) {
            String[] ends = part.split(":");
            long a = number(ends[0], max);
            long b = ends.length > 1 ? number(ends[1], max) : a;
            ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        return ranges;
    }

    static boolean contains(List<long[]> ranges, long uid) {
        for (long[] r : ranges) {
            if (uid >= r[0] && uid <= r[1]) {
                return true;
            }
        }
        return false;
    }

    private static long number(String s, long max) {
        String t = s.strip();
        return "*".equals(t) ? max : Long.parseLong(t);
    }
}
