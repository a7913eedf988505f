package io.postroom.message.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachment downloads open on this node, and the closing of those nobody reads. A download
 * that is not read for the idle limit ({@code downloadIdleSeconds}; counted from its last read, or
 * from its opening before the first read) is closed: its IMAP connection logged out without waiting
 * for the server, its download slot given back, and the caller's next read fails saying so. A
 * caller that neither reads nor closes a download (host code that forgot {@code close()}, a stalled
 * consumer) would otherwise keep a slot and a connection of the mailbox for good.
 *
 * <p>One daemon thread for all downloads, started with the service and stopped with it: it sweeps
 * every tenth of the limit (at least every 30 s, at most every 100 ms), so a download is closed
 * within 110% of the limit. Closing one never waits for a server. {@link #idleLimit(Duration)}
 * changes the limit while downloads are open (the configuration changed): the next sweep, due a
 * tenth of the new limit later, applies it to every open download. {@link #close()} (the service
 * stops) closes every download still open and ends the thread.
 */
final class OpenDownloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenDownloads.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    static final String STOPPED = "The download of this attachment was closed because Postroom's message service stopped"
            + " (the bundle was stopped or updated, or a service it needs went away); open the attachment again to read it.";

    /** The idle limit, in nanoseconds for the sweep, and the reason a download it closes gives for every later read. */
    private record Limit(Duration duration, long nanos, String message) {
        Limit(Duration duration) {
            this(duration, duration.toNanos(), "The download of this attachment was closed after " + duration.toSeconds()
                    + " seconds without a read (the limit set by downloadIdleSeconds of " + MessageConfig.PID + "), and its"
                    + " connection to the mail server with it; open the attachment again to read it.");
        }

        /** How often the sweep runs, in milliseconds: a tenth of the limit, between 100 ms and 30 s. */
        long sweepMillis() {
            return Math.max(100, Math.min(30_000, duration.toMillis() / 10));
        }
    }

    private final LongSupplier ticker;
    private final Set<StreamedAttachment> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sweeper;
    private volatile Limit limit;
    private ScheduledFuture<?> sweeps; // guarded by this
    private volatile boolean closed;   // written under this

    /**
     * Starts the sweeping thread.
     *
     * @param idleLimit how long a download may go without a read, at least one second
     * @param ticker    nanoseconds as {@link System#nanoTime()} counts them (a hand-driven one in tests)
     */
    OpenDownloads(Duration idleLimit, LongSupplier ticker) {
        this.limit = new Limit(atLeastASecond(idleLimit));
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        String name = "postroom-attachment-idle-" + INSTANCES.incrementAndGet();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        synchronized (this) {
            schedule();
        }
    }

    private static Duration atLeastASecond(Duration idleLimit) {
        if (idleLimit.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("an idle limit of at least 1 second, not " + idleLimit);
        }
        return idleLimit;
    }

    /** Sweeps every tenth of the limit from now on. */
    private void schedule() {
        long every = limit.sweepMillis();
        sweeps = sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    Duration idleLimit() {
        return limit.duration();
    }

    /**
     * A new idle limit for every download, the open ones included: the next sweep closes those not
     * read for the new limit (a download idle longer than a lowered limit is closed then, saying
     * the new limit). The sweep runs every tenth of the new limit from now on, on the same thread.
     * Nothing is closed now. A no-op once {@link #close()}d.
     *
     * @param idleLimit at least one second
     */
    synchronized void idleLimit(Duration idleLimit) {
        Limit next = new Limit(atLeastASecond(idleLimit));
        if (closed || next.duration().equals(limit.duration())) {
            return;
        }
        limit = next;
        sweeps.cancel(false);
        schedule();
    }

    /**
     * @throws PostroomException UNAVAILABLE once the service stops
     */
    void checkRunning() {
        if (closed) {
            throw stopping();
        }
    }

    /**
     * Watches a download from now on.
     *
     * @throws PostroomException UNAVAILABLE when the service stopped meanwhile (the download is closed then)
     */
    void add(StreamedAttachment download) {
        open.add(download);
        if (closed) { // close() may have gone over the set before the download was in it
            open.remove(download);
            download.stop(STOPPED);
            throw stopping();
        }
    }

    /** What the scheduler runs: never throws, so that it keeps running. */
    private void sweep() {
        try {
            closeIdle();
        } catch (RuntimeException e) {
            LOG.warn("Closing idle attachment downloads failed: {}", e.toString(), e);
        }
    }

    /** Closes the downloads nobody has read for the idle limit and forgets the ended ones: how many it closed. */
    int closeIdle() {
        Limit l = limit;
        long now = ticker.getAsLong();
        int n = 0;
        for (StreamedAttachment d : open) {
            if (!d.isOpen()) {
                open.remove(d);
            } else if (d.closeIfIdle(now, l.nanos(), l.message())) {
                open.remove(d);
                n++;
                LOG.info("Closed {} after {} s without a read (downloadIdleSeconds), giving its download slot back", d,
                        l.duration().toSeconds());
            }
        }
        return n;
    }

    /** Downloads being watched (open ones, and ended ones until the next sweep). */
    int watched() {
        return open.size();
    }

    /** Downloads with a read in progress now. */
    int beingRead() {
        return (int) open.stream().filter(StreamedAttachment::isBeingRead).count();
    }

    /** The sweeping thread(s) this instance started (tests: none is left after {@link #close()}). */
    List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Stops the sweeping thread and closes every download still open; waits (briefly) until the thread is gone. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            sweeper.shutdown();
        }
        for (StreamedAttachment d : open) {
            open.remove(d);
            d.stop(STOPPED);
        }
        try {
            if (!sweeper.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The attachment download sweeper did not stop within 10 s");
            }
            for (Thread t : threads) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PostroomException stopping() {
        return new PostroomException(ErrorCode.UNAVAILABLE, "Attachments cannot be opened right now: Postroom's message"
                + " service is stopping (the bundle is being stopped or updated, or a service it needs went away); try again"
                + " in a moment.",
                Map.of());
    }
}
