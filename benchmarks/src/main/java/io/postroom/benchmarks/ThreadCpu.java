package io.postroom.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time of this JVM's threads by what they do, from {@code /proc/self/task} (Linux): JIT and
 * GC threads included, which {@code ThreadMXBean} does not show. A sampler keeps the last value of
 * every thread, so threads that end during a measurement (a run's writer) still count.
 */
final class ThreadCpu implements AutoCloseable {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100, the fallback when schedstat is missing

    private record Sample(String name, long nanos) {
    }

    private final Map<String, Sample> start = new ConcurrentHashMap<>();
    private final Map<String, Sample> last = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    ThreadCpu() {
        start.putAll(read());
        last.putAll(start);
        sampler = new Thread(() -> {
            while (running) {
                last.putAll(read());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** CPU nanoseconds since construction by group: imap (the sync's own thread), parse, write, jit, gc, other. */
    Map<String, Long> byGroup() {
        last.putAll(read());
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String g : new String[] {"imap", "parse", "write", "jit", "gc", "other"}) {
            groups.put(g, 0L);
        }
        for (Map.Entry<String, Sample> e : last.entrySet()) {
            Sample before = start.get(e.getKey());
            long used = e.getValue().nanos() - (before == null ? 0 : before.nanos());
            groups.merge(group(e.getValue().name()), used, Long::sum);
        }
        return groups;
    }

    /** The threads of a group with their CPU nanoseconds, most first (for finding where "other" goes). */
    String top(String wanted, int n) {
        Map<String, Long> byName = new java.util.HashMap<>();
        for (Map.Entry<String, Sample> e : last.entrySet()) {
            if (group(e.getValue().name()).equals(wanted)) {
                Sample before = start.get(e.getKey());
                byName.merge(e.getValue().name().replace(' ', '_'), e.getValue().nanos() - (before == null ? 0 : before.nanos()),
                        Long::sum);
            }
        }
        return byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> e.getKey() + ":" + e.getValue() / 1_000_000 + "ms").reduce((x, y) -> x + "," + y).orElse("");
    }

    static String group(String name) {
        if (name.equals("main") || name.equals("java")) {
            // the JVM's main thread keeps the process name: there the sync runs (syncNow)
            return "imap";
        }
        if (name.startsWith("postroom-sync-p")) {
            return "parse";
        }
        if (name.startsWith("postroom-sync-w")) {
            return "write";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "gc";
        }
        return "other";
    }

    private static Map<String, Sample> read() {
        Map<String, Sample> result = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                    result.put(task.getFileName().toString(), new Sample(name, nanos(task)));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return result;
    }

    private static long nanos(Path task) throws IOException {
        Path schedstat = task.resolve("schedstat");
        if (Files.isReadable(schedstat)) {
            String s = Files.readString(schedstat, StandardCharsets.US_ASCII).strip();
            return Long.parseLong(s.split(" ")[0]);
        }
        String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
