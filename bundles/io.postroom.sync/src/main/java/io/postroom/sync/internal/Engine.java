package io.postroom.sync.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.mailbox.SyncTarget;
import io.postroom.persistence.Claim;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.ScheduleTarget;
import io.postroom.sync.RunReport;
import io.postroom.sync.SyncEngine;
import io.postroom.sync.SyncSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync engine of one node: a poller claims due mailboxes through the database lease (up to
 * the free workers; backfill only when a worker is still free), a bounded worker pool runs them,
 * a heartbeat extends the running leases (and stops a run whose lease was lost), a small pool
 * parses messages for all runs.
 */
public final class Engine implements SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final SyncParts parts;
    private final SyncSettings settings;
    private final ExecutorService parsePool;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<Long, RunContext> active = new ConcurrentHashMap<>();
    private final Object wakeLock = new Object();
    private final MailboxRun runner;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean halted;
    private volatile boolean wakeRequested;
    private volatile long lastRefresh;
    private Thread poller;

    Engine(SyncParts parts) {
        this.parts = parts;
        this.settings = parts.settings();
        this.parsePool = Executors.newFixedThreadPool(settings.parseThreads(), threads("postroom-sync-parse"));
        this.workers = Executors.newFixedThreadPool(settings.workers(), threads("postroom-sync-worker"));
        this.timers = Executors.newSingleThreadScheduledExecutor(threads("postroom-sync-heartbeat"));
        this.runner = new MailboxRun(parts, parsePool, ctx -> active.put(ctx.mailboxId(), ctx),
                ctx -> active.remove(ctx.mailboxId(), ctx), () -> halted);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        long beat = Math.max(100, settings.leaseTtl().toMillis() / 3);
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        poller = new Thread(this::pollLoop, "postroom-sync-poller");
        poller.setDaemon(true);
        poller.start();
        LOG.info("Sync engine started on node {} ({} workers, poll every {}, lease {})", settings.nodeId(),
                settings.workers(), settings.pollInterval(), settings.leaseTtl());
    }

    @Override
    public void wake() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    private void pollLoop() {
        while (!closed && !halted) {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.warn("Sync poll on node {} failed: {}", settings.nodeId(), e.toString());
            }
            synchronized (wakeLock) {
                if (!wakeRequested && !closed) {
                    try {
                        wakeLock.wait(settings.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                wakeRequested = false;
            }
        }
    }

    /** One poll: node heartbeat, active mailboxes (now and then), claims for the free workers. */
    void poll() {
        parts.schedule().nodeAlive(settings.nodeId());
        long now = System.nanoTime();
        if (lastRefresh == 0 || now - lastRefresh >= settings.targetsRefresh().toNanos()) {
            List<SyncTarget> targets = parts.mailboxes().activeMailboxes();
            parts.schedule().ensureScheduled(targets.stream()
                    .map(t -> new ScheduleTarget(t.id().value(), t.tenant(), t.syncInterval())).toList());
            lastRefresh = now;
        }
        int free = settings.workers() - running.get();
        if (free > 0) {
            for (Claim c : parts.schedule().claim(settings.nodeId(), ClaimKind.REGULAR, free, settings.leaseTtl())) {
                submit(c);
            }
        }
        free = settings.workers() - running.get();
        if (free > 0 && settings.backfill()) {
            for (Claim c : parts.schedule().claim(settings.nodeId(), ClaimKind.BACKFILL, 1, settings.leaseTtl())) {
                submit(c);
            }
        }
    }

    private void submit(Claim claim) {
        running.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    runner.run(claim);
                } catch (VirtualMachineError e) {
                    throw e; // out of memory and the like: the pool replaces this worker; the thread's handler reports it
                } catch (Error e) {
                    // already logged and recorded as the run's failure, its lease released: the worker carries on
                    LOG.debug("Mailbox {}: the run ended with {}", claim.lease().mailboxId(), e.toString());
                } finally {
                    running.decrementAndGet();
                    wake();
                }
            });
        } catch (RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
    }

    private void heartbeat() {
        for (RunContext ctx : active.values()) {
            try {
                if (!parts.schedule().heartbeat(ctx.lease)) {
                    LOG.info("Mailbox {}: node {} lost its lease; stopping its sync", ctx.mailboxId(), settings.nodeId());
                    ctx.leaseLost();
                }
            } catch (RuntimeException e) {
                // the database is unreachable: the run's own writes will fail and retry
                LOG.debug("Heartbeat for mailbox {} failed: {}", ctx.mailboxId(), e.toString());
            }
        }
    }

    @Override
    public RunReport syncNow(MailboxId mailbox) {
        if (closed) {
            throw new PostroomException(ErrorCode.UNAVAILABLE, "The sync engine of node " + settings.nodeId() + " is stopped.");
        }
        long id = mailbox.value();
        Optional<Claim> claim = parts.schedule().claimMailbox(settings.nodeId(), id, ClaimKind.REGULAR, settings.leaseTtl());
        if (claim.isEmpty() && parts.schedule().find(id).isEmpty()) {
            MailboxConnection c = parts.mailboxes().connection(mailbox); // MAILBOX_NOT_FOUND, MAILBOX_INACTIVE
            parts.schedule().requestRun(id, c.tenant(), SyncTrigger.MANUAL);
            claim = parts.schedule().claimMailbox(settings.nodeId(), id, ClaimKind.REGULAR, settings.leaseTtl());
        }
        if (claim.isEmpty()) {
            parts.mailboxes().connection(mailbox); // MAILBOX_NOT_FOUND, MAILBOX_INACTIVE: why it cannot be claimed
            var record = parts.schedule().find(id);
            String node = record.map(r -> r.leaseOwner()).orElse("another node");
            throw new PostroomException(ErrorCode.SYNC_ALREADY_RUNNING, "Mailbox " + mailbox + " is being synchronised now"
                    + (node == null ? "" : " (by " + node + ")") + "; its progress shows in the sync status.",
                    Map.of("mailbox", id));
        }
        running.incrementAndGet();
        try {
            return runner.run(claim.get().withTrigger(SyncTrigger.MANUAL));
        } finally {
            running.decrementAndGet();
        }
    }

    /** Claims the mailbox for a backfill run (older mail after the period was widened) and runs it here. */
    RunReport backfillNow(MailboxId mailbox) {
        Claim claim = parts.schedule().claimMailbox(settings.nodeId(), mailbox.value(), ClaimKind.BACKFILL,
                settings.leaseTtl()).orElseThrow(() -> new PostroomException(ErrorCode.SYNC_ALREADY_RUNNING,
                        "Mailbox " + mailbox + " is being synchronised now."));
        running.incrementAndGet();
        try {
            return runner.run(claim);
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public Optional<SyncProgress> progress(MailboxId mailbox) {
        RunContext ctx = active.get(mailbox.value());
        return ctx == null ? Optional.empty() : Optional.of(ctx.progress.snapshot());
    }

    /** Runs on this node now (for status and tests). */
    int running() {
        return running.get();
    }

    /**
     * Simulates the node dying: polling and heartbeats stop at once, running syncs stop without
     * writing anything more (no run end, no release): their leases expire by themselves.
     */
    void halt() {
        halted = true;
        timers.shutdownNow();
        wake();
        for (RunContext ctx : active.values()) {
            ctx.stop("node halted");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wake();
        for (RunContext ctx : active.values()) {
            ctx.stop("node " + settings.nodeId() + " is stopping");
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            // runs on callers' threads (syncNow) end too before the parse pool goes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        timers.shutdownNow();
        parsePool.shutdownNow();
        if (poller != null) {
            poller.interrupt();
        }
        LOG.info("Sync engine stopped on node {}", settings.nodeId());
    }
}
