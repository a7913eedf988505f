package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many attachments of each mailbox this node is streaming, at most {@code perMailbox} at once
 * (each node of a cluster counts its own):
 * each stream holds an IMAP connection to the mailbox's server, and servers limit connections per
 * account (Gmail allows 15), so a burst of downloads must neither use them all (the sync needs
 * one) nor tie up the node's threads. The limit may change while slots are taken
 * ({@link #limit(int)}).
 */
final class DownloadSlots {
    private volatile int perMailbox;
    private final ConcurrentHashMap<Long, Integer> inUse = new ConcurrentHashMap<>();

    DownloadSlots(int perMailbox) {
        limit(perMailbox);
    }

    /**
     * The most slots of one mailbox from now on. Slots taken stay taken, also beyond a lowered
     * limit: the mailbox gets no new slot until fewer than the new limit are in use.
     */
    void limit(int perMailbox) {
        if (perMailbox < 1) {
            throw new IllegalArgumentException("at least one attachment stream per mailbox, not " + perMailbox);
        }
        this.perMailbox = perMailbox;
    }

    /**
     * A slot for one stream of the mailbox; running the returned action gives it back (once, however
     * often it runs).
     *
     * @throws PostroomException TOO_MANY_DOWNLOADS when all of the mailbox's slots are taken
     */
    Runnable take(long mailboxId, String address) {
        int perMailbox = this.perMailbox; // one limit for the check and the message
        int[] streaming = {-1}; // how many the mailbox streams when refused
        inUse.compute(mailboxId, (id, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perMailbox) {
                streaming[0] = now;
                return n;
            }
            return now + 1;
        });
        if (streaming[0] >= 0) {
            // more than the limit only after it was lowered while those downloads were open
            throw new PostroomException(ErrorCode.TOO_MANY_DOWNLOADS, "Mailbox " + address + " is already streaming "
                    + streaming[0] + " attachments, " + (streaming[0] == perMailbox ? "as many as" : "more than the "
                    + perMailbox) + " its mail server is asked to serve at once; try again when one of them has finished.",
                    Map.of("mailbox", mailboxId, "limit", perMailbox));
        }
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                inUse.computeIfPresent(mailboxId, (id, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    /** Streams of the mailbox now. */
    int inUse(long mailboxId) {
        return inUse.getOrDefault(mailboxId, 0);
    }
}
