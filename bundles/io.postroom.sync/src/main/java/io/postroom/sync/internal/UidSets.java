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

    /** The ranges sorted by their start, overlapping and adjacent ones joined: as {@link #containsSorted} needs them. */
    static List<long[]> merged(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort(java.util.Comparator.comparingLong(r -> r[0]));
        List<long[]> result = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = result.isEmpty() ? null : result.get(result.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                result.add(new long[] {r[0], r[1]});
            }
        }
        return result;
    }

    /** Whether {@code uid} is in one of the ranges, sorted by their start and not overlapping ({@link #merged}). */
    static boolean containsSorted(List<long[]> ranges, long uid) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long[] r = ranges.get(mid);
            if (uid < r[0]) {
                hi = mid - 1;
            } else if (uid > r[1]) {
                lo = mid + 1;
            } else {
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
