package io.postroom.sync.internal;

import io.postroom.persistence.BatchResult;
import io.postroom.persistence.DataRejectedException;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.MessageDraft;
import io.postroom.persistence.QuarantineDraft;
import io.postroom.persistence.TransientStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a run's batches in order on one thread while the IMAP thread fetches the next batch and
 * the parse pool parses: at most {@value #IN_FLIGHT} batches are on their way at once
 * (back-pressure, bounded memory). A batch is one transaction; a transient database failure
 * retries the whole batch (nothing of it was written); a value the database refuses is found by
 * writing the batch's messages one by one, and that message goes to quarantine. After a failure
 * no later batch is written, so checkpoints never run ahead of what is stored.
 */
final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    static final int IN_FLIGHT = 3;

    private final RunContext ctx;
    private final ExecutorService thread;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final List<Future<?>> pending = new ArrayList<>();
    private volatile Throwable failure;

    BatchWriter(RunContext ctx) {
        this.ctx = ctx;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "postroom-sync-writer-" + ctx.mailboxId());
            t.setDaemon(true);
            return t;
        });
    }

    /** The batch's content once parsed: messages to store, failures to quarantine. */
    record Parsed(List<MessageDraft> drafts, List<QuarantineDraft> failures, int processed, List<Long> resolve) {
    }

    /** Waits until a batch may be fetched (at most {@value #IN_FLIGHT} on their way). */
    void awaitSlot() {
        rethrow();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStopped("interrupted");
        }
    }

    /** Gives back a slot taken by {@link #awaitSlot()} when no batch follows (the fetch failed). */
    void releaseSlot() {
        slots.release();
    }

    /**
     * Queues a batch: once parsed, it is written with the given checkpoint. Call after
     * {@link #awaitSlot()}; the slot is freed when the batch is written (or failed).
     */
    void submit(long folderId, long uidValidity, CompletableFuture<Parsed> parsed, Supplier<io.postroom.persistence.FolderCheckpoint> checkpoint,
                String folder) {
        pending.add(thread.submit(() -> {
            try {
                if (failure != null) {
                    return;
                }
                Parsed p = parsed.get();
                ctx.checkAlive();
                Set<Long> failed = new HashSet<>();
                p.failures().forEach(q -> failed.add(q.uid()));
                List<Long> resolve = p.resolve().stream().filter(u -> !failed.contains(u)).toList();
                MessageBatch batch = new MessageBatch(ctx.lease, ctx.runId, folderId, uidValidity, p.drafts(), List.of(),
                        List.of(), p.failures(), resolve, checkpoint.get());
                long start = System.nanoTime();
                BatchResult r = write(batch, folder);
                ctx.writeNanos.addAndGet(System.nanoTime() - start);
                committed(r, p.processed());
            } catch (ExecutionException e) {
                fail(e.getCause());
            } catch (Throwable t) {
                fail(t);
            } finally {
                slots.release();
            }
        }));
    }

    /** Writes a batch now, on the calling thread, after everything queued (flags, expunges, checkpoints). */
    BatchResult writeNow(MessageBatch batch, String folder) {
        drain();
        BatchResult r = write(batch, folder);
        committed(r, 0);
        return r;
    }

    private void committed(BatchResult r, int processed) {
        ctx.stored.addAndGet(r.storedIds().size());
        ctx.locations.addAndGet(r.locationsAdded());
        ctx.flagChanges.addAndGet(r.flagChanges());
        ctx.expunged.addAndGet(r.expunged());
        ctx.quarantined.addAndGet(r.quarantined());
        ctx.progress.processed(processed);
        new SyncEventPoster(ctx.parts.eventAdmin()).stored(ctx.tenant, ctx.mailboxId(), r.storedIds());
        ctx.maybeSaveProgress();
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    /** Waits for every queued batch; rethrows the first failure. */
    void drain() {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStopped("interrupted");
            } catch (ExecutionException e) {
                fail(e.getCause());
            }
        }
        pending.clear();
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** One batch, retried on transient failures, split on refused data. */
    private BatchResult write(MessageBatch batch, String folder) {
        try {
            return retrying(batch);
        } catch (DataRejectedException e) {
            LOG.info("Mailbox {}: the database refused a value in a batch of {} messages of {}; finding it",
                    ctx.mailboxId(), batch.messages().size(), folder);
            return bisect(batch, folder);
        }
    }

    private BatchResult retrying(MessageBatch batch) {
        int attempts = ctx.parts.settings().dbRetries();
        for (int attempt = 1; ; attempt++) {
            ctx.checkAlive();
            try {
                return ctx.parts.messages().write(batch);
            } catch (TransientStoreException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                long pause = Math.min(250L << (attempt - 1), 5000L);
                LOG.info("Mailbox {}: writing a batch failed ({}), retry {} of {} in {} ms", ctx.mailboxId(),
                        e.getMessage(), attempt, attempts - 1, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RunStopped("interrupted");
                }
            }
        }
    }

    private BatchResult bisect(MessageBatch batch, String folder) {
        List<QuarantineDraft> quarantine = new ArrayList<>(batch.quarantined());
        List<Long> stored = new ArrayList<>();
        int locations = 0;
        int max = ctx.parts.settings().quarantineAttempts();
        for (MessageDraft d : batch.messages()) {
            try {
                BatchResult one = retrying(MessageBatch.of(batch.lease(), batch.runId(), batch.folderId(),
                        batch.uidValidity(), List.of(d), null));
                stored.addAll(one.storedIds());
                locations += one.locationsAdded();
            } catch (DataRejectedException e) {
                String reason = e.getMessage() == null ? "refused" : e.getMessage();
                quarantine.add(new QuarantineDraft(folder, batch.uidValidity(), d.uid(),
                        "The database refused the message: " + (reason.length() > 500 ? reason.substring(0, 500) : reason), max));
            }
        }
        Set<Long> failed = new HashSet<>();
        quarantine.forEach(q -> failed.add(q.uid()));
        MessageBatch rest = new MessageBatch(batch.lease(), batch.runId(), batch.folderId(), batch.uidValidity(), List.of(),
                batch.flagUpdates(), batch.expungedUids(), quarantine,
                batch.resolvedQuarantine().stream().filter(u -> !failed.contains(u)).toList(), batch.checkpoint());
        BatchResult r = retrying(rest);
        return new BatchResult(stored, locations + r.locationsAdded(), r.flagChanges(), r.expunged(), r.quarantined());
    }

    /**
     * Ends the writer. Batches fetched and parsed before a failure (a connection cut in the middle
     * of the next FETCH) are still written, so the next run has less to do; a run that must stop
     * (lease lost, node stopping) abandons them.
     */
    @Override
    public void close() {
        if (!ctx.stopping()) {
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    fail(e.getCause());
                }
            }
        }
        pending.clear();
        thread.shutdownNow();
    }
}
