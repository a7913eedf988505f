package io.postroom.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a process tree from {@code /proc} (Linux), for the server's side of a measurement:
 * the Dovecot master with its live children plus what its ended children used (the master reaps
 * them, so their time is in its {@code cutime}/{@code cstime}).
 */
final class ProcessCpu {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100

    private ProcessCpu() {
    }

    /** The pid of the oldest process whose command line contains {@code marker}, or -1. */
    static long find(String command, String marker) {
        long best = -1;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(command) && cmd.contains(marker)) {
                        long pid = Long.parseLong(p.getFileName().toString());
                        if (best < 0 || pid < best) {
                            best = pid;
                        }
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return best;
    }

    /** CPU nanoseconds of the process, its live descendants and its reaped children so far. */
    static long treeNanos(long root) {
        if (root < 0) {
            return 0;
        }
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parent.put(pid, Long.parseLong(f[1]));
                    nanos.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                            + Long.parseLong(f[14])) * TICK_NANOS);
                } catch (IOException | RuntimeException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : nanos.entrySet()) {
            long p = e.getKey();
            for (int depth = 0; depth < 10 && p > 1; depth++) {
                if (p == root) {
                    total += e.getValue();
                    break;
                }
                Long up = parent.get(p);
                if (up == null) {
                    break;
                }
                p = up;
            }
        }
        return total;
    }
}
