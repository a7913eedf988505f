package io.postroom.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap high-water marks of a measurement: the largest heap in use right after a garbage
 * collection (what the run really holds; garbage not yet collected is left out), and the sum of
 * the heap pools' peaks (with garbage: near the maximum heap whenever the collector waits until
 * the heap is full).
 */
final class HeapWatch {
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong gcs = new AtomicLong();

    HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (CompositeData) notification.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (isHeap(pool.getKey())) {
                            used += pool.getValue().getUsed();
                        }
                    }
                    gcs.incrementAndGet();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    /** Starts a measurement. */
    void reset() {
        maxAfterGc.set(0);
        gcs.set(0);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Collections since {@link #reset()}. */
    long collections() {
        return gcs.get();
    }

    /** Ends a measurement with a full collection (so that the live heap at the end counts too). */
    long maxAfterGc() {
        System.gc();
        try {
            Thread.sleep(200); // notifications arrive on another thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return maxAfterGc.get();
    }

    long peakPools() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /**
     * The live heap of a run: every {@code periodMillis} a full collection, then the heap in use.
     * It disturbs the run (each full collection stops it for a moment): only for a run that is not timed.
     */
    LiveSampler sample(long periodMillis) {
        return new LiveSampler(periodMillis);
    }

    private static final boolean HISTOGRAM_AT_MAX = Boolean.getBoolean("bench.histogramAtMax");

    /** The top lines of a class histogram of the live objects (it runs a full collection). */
    static String histogram(int lines) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] all = String.valueOf(text).split("\n");
            return String.join("\n", java.util.Arrays.copyOf(all, Math.min(lines + 2, all.length)));
        } catch (javax.management.JMException e) {
            return "no histogram: " + e;
        }
    }

    static final class LiveSampler {
        private final Thread thread;
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private volatile boolean running = true;

        LiveSampler(long periodMillis) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (running) {
                        measure();
                    }
                }
            }, "bench-heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private final java.util.List<Long> all = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        private void measure() {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long before = max.getAndAccumulate(used, Math::max);
            all.add(used);
            samples.incrementAndGet();
            if (HISTOGRAM_AT_MAX && used > before + 4_000_000) {
                // diagnostics (-Dbench.histogramAtMax=true): what the heap holds at each new maximum, into the node's log
                System.err.printf("live heap %.0f MB, a new maximum, at sample %d:%n%s%n", used / 1e6, samples.get(), histogram(20));
            }
        }

        /** The median of the samples. */
        long median() {
            synchronized (all) {
                java.util.List<Long> sorted = new java.util.ArrayList<>(all);
                sorted.sort(null);
                return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
            }
        }

        /** Stops sampling; the largest live heap seen (with one more sample at the end). */
        long stop() {
            running = false;
            thread.interrupt();
            measure();
            return max.get();
        }

        long samples() {
            return samples.get();
        }
    }

    static long maxHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }
}
