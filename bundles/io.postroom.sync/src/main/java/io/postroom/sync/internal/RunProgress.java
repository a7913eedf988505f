package io.postroom.sync.internal;

import io.postroom.api.sync.SyncProgress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A running sync's progress, kept in memory and written to the schedule row every few seconds. */
final class RunProgress {
    private final Instant startedAt;
    private final String node;
    private final AtomicInteger foldersDone = new AtomicInteger();
    private volatile int foldersTotal;
    private volatile String currentFolder;
    private final AtomicLong done = new AtomicLong();
    private final Map<String, Long> estimates = new ConcurrentHashMap<>();

    RunProgress(Instant startedAt, String node) {
        this.startedAt = startedAt;
        this.node = node;
    }

    void folders(int total) {
        foldersTotal = total;
    }

    void folderStarted(String folder) {
        currentFolder = folder;
    }

    void folderDone() {
        foldersDone.incrementAndGet();
    }

    /** The estimate of one folder's messages to download in this run (replaces the previous one). */
    void estimate(String folder, long messages) {
        estimates.put(folder, Math.max(0, messages));
    }

    void addEstimate(String folder, long messages) {
        estimates.merge(folder, Math.max(0, messages), Long::sum);
    }

    void processed(long messages) {
        done.addAndGet(messages);
    }

    SyncProgress snapshot() {
        long estimated = estimates.values().stream().mapToLong(Long::longValue).sum();
        long d = done.get();
        return new SyncProgress(foldersDone.get(), foldersTotal, currentFolder, d, Math.max(estimated, d), startedAt, node);
    }
}
