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
 * one) nor tie up the node's threads.
 */
final class DownloadSlots {
    private final int perMailbox;
    private final ConcurrentHashMap<Long, Integer> inUse = new ConcurrentHashMap<>();

    DownloadSlots(int perMailbox) {
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
        boolean[] taken = {false};
        inUse.compute(mailboxId, (id, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perMailbox) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            throw new PostroomException(ErrorCode.TOO_MANY_DOWNLOADS, "Mailbox " + address + " is already streaming "
                    + perMailbox + " attachments, as many as its mail server is asked to serve at once; try again when"
                    + " one of them has finished.", Map.of("mailbox", mailboxId, "limit", perMailbox));
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
