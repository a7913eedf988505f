package io.postroom.sync.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * What a server reports changed in a folder since a mod-sequence: the FETCH responses (flags) and
 * VANISHED (EARLIER) responses of EXAMINE with QRESYNC, or the FETCH responses of a UID FETCH with
 * CHANGEDSINCE. Taken as they arrive ({@link io.postroom.protocol.StreamedResponses}) and kept as
 * a UID, its flags and its mod-sequence: after a change to a whole large folder these answers are
 * as many as its messages, far more than Angus's responses should hold (about 600 bytes each).
 * UIDs above the highest stored one are left out: those messages are new, not changed.
 * <p>
 * At most {@code limit} changes and VANISHED ranges are kept (about 150 bytes each). Beyond that
 * the changes are as good as the whole folder: nothing more is kept, {@link #overflowed()} says
 * so, and the sync reads the stored messages' flags again a page at a time instead.
 */
final class ServerChanges implements Predicate<Response> {
    /** A message's flags now, and its mod-sequence (null when the server sent none). */
    record Changed(Set<String> flags, Long modSeq) {
        /** The flags and mod-sequence of a FETCH response; null when it has no flags. */
        static Changed of(FetchResponse f) {
            FLAGS flags = f.getItem(FLAGS.class);
            if (flags == null) {
                return null;
            }
            MODSEQ m = f.getItem(MODSEQ.class);
            return new Changed(Imap.flags(flags), m != null && m.modseq > 0 ? Long.valueOf(m.modseq) : null);
        }
    }

    private final long maxUid;
    private final int limit;
    private Map<Long, Changed> changed = new HashMap<>();
    private List<long[]> vanished = new ArrayList<>();
    private boolean overflowed;

    /**
     * @param maxUid the highest UID stored for the folder: above it nothing is stored to change
     * @param limit  the changes and VANISHED ranges kept at most
     */
    ServerChanges(long maxUid, int limit) {
        this.maxUid = maxUid;
        this.limit = limit;
    }

    @Override
    public boolean test(Response r) {
        if (r instanceof FetchResponse f) {
            take(f);
            return true;
        }
        if (r instanceof IMAPResponse ir && ir.keyEquals("VANISHED")) {
            // VANISHED (EARLIER) 41,43:116 reports expunges before this session; a VANISHED without EARLIER
            // reports one now, which the next run's QRESYNC reports again as EARLIER
            String[] earlier = ir.readAtomStringList();
            String set = ir.readAtom();
            if (earlier != null && set != null && !overflowed) {
                // counted before it is parsed: a set of millions of ranges is not split at all
                if (changed.size() + vanished.size() + set.chars().filter(ch -> ch == ',').count() + 1 > limit) {
                    overflow();
                } else {
                    vanished.addAll(UidSets.parse(set, maxUid));
                }
            }
            return true;
        }
        return false;
    }

    /** Takes a FETCH response's UID, flags and mod-sequence; one without UID or flags says nothing here. */
    private void take(FetchResponse f) {
        UID u = f.getItem(UID.class);
        Changed c = overflowed || u == null || u.uid > maxUid ? null : Changed.of(f);
        if (c == null) {
            return;
        }
        if (changed.size() + vanished.size() >= limit && !changed.containsKey(u.uid)) {
            overflow();
        } else {
            changed.put(u.uid, c);
        }
    }

    private void overflow() {
        overflowed = true;
        changed = new HashMap<>(); // not clear(): that keeps the grown table
        vanished = new ArrayList<>();
    }

    /** Whether the server reported more than the limit: then nothing is kept, and every stored message is to be compared. */
    boolean overflowed() {
        return overflowed;
    }

    /** Per UID, the flags and mod-sequence the server reported. */
    Map<Long, Changed> changed() {
        return changed;
    }

    /** The UID ranges reported expunged (each {@code [from, to]}, within the stored UIDs). */
    List<long[]> vanished() {
        return vanished;
    }
}
