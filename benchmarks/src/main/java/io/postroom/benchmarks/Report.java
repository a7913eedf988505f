package io.postroom.benchmarks;

import io.postroom.benchmarks.Benchmark.SizeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run as Markdown (also printed): rates, and above all ratios to this run's baselines. */
final class Report {
    private final Machine machine;
    private final String dbVersion;
    private final Instant started;
    private final String loadBefore;
    private final String loadAfter;
    private final int latencyMs;
    private final String heap;
    private final List<SizeResult> results;

    Report(Machine machine, String dbVersion, Instant started, String loadBefore, String loadAfter, int latencyMs, String heap,
           List<SizeResult> results) {
        this.machine = machine;
        this.dbVersion = dbVersion;
        this.started = started;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.latencyMs = latencyMs;
        this.heap = heap;
        this.results = results;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static double seconds(Map<String, String> m) {
        return Long.parseLong(m.get("wallNanos")) / 1e9;
    }

    private static long stored(Map<String, String> m) {
        return Long.parseLong(m.get("stored"));
    }

    private static double rate(Map<String, String> m) {
        return stored(m) / seconds(m);
    }

    private static String pct(double ratio) {
        return f("%.0f %%", 100 * ratio);
    }

    private static String times(double ratio) {
        return f("%.2f×", ratio);
    }

    private static String mb(long bytes) {
        return f("%.0f MB", bytes / 1e6);
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**not met**";
    }

    String text() {
        StringBuilder md = new StringBuilder();
        md.append(f("Measured %s (UTC) on %s.%n%n",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(started),
                machine.describe("; ")));
        md.append(f("Load average (1, 5, 15 min) at the start: %s; at the end: %s. Other work on the machine shares its %d"
                + " CPUs with Dovecot, the benchmark and the sync: compare the ratios, not the times.%n%n",
                loadBefore, loadAfter, machine.cpus()));
        md.append(f("Postroom runs in a JVM of its own with -Xmx%s, warmed up by a first sync of a 2,000-message mailbox"
                + " into another database (a running node is warm). Database: H2 file, URL options as"
                + " `etc/org.ops4j.datasource-postroom.cfg` (H2 writes its file in the background, no fsync per commit);"
                + " %s, reached with the README's URL option"
                + " `reWriteBatchedInserts=true`. mbsync pulls into a Maildir (`Sync Pull`, pipelining"
                + " unlimited). The raw fetch is one `UID FETCH 1:* (BODY.PEEK[])` on a plain socket, literals skipped"
                + " unread (median of 3; behind the proxy of 2). Before any measurement Dovecot computed and cached every"
                + " BODYSTRUCTURE once (its time is listed; no figure includes it).%n%n", heap,
                dbVersion.isEmpty() ? "PostgreSQL" : dbVersion));
        List<String[]> targets = new ArrayList<>();
        for (SizeResult r : results) {
            section(md, r, targets);
        }
        if (results.size() > 1) {
            SizeResult small = results.get(0);
            SizeResult big = results.get(results.size() - 1);
            if (small.h2 != null && big.h2 != null) {
                md.append(f("### Heap in mailbox size (-Xmx%s)%n%n| | %,d messages | %,d messages | ratio |%n|---|---:|---:|---:|%n",
                        heap, small.size, big.size));
                String[][] rows = {{"heapLiveMedian", "live heap, median (full GC every 0.5 s, separate run)"},
                        {"heapLive", "live heap, max (full GC every 0.5 s, separate run)"},
                        {"heapAfterGc", "heap in use after a collection, max (timed run)"},
                        {"heapPeak", "heap pools' peak, garbage included (timed run)"}};
                heapRows(md, rows, "H2 in the JVM", small.heapRun, big.heapRun, small.h2, big.h2);
                heapRows(md, rows, "PostgreSQL", small.heapRunPg, big.heapRunPg, small.pg, big.pg);
                for (var rework : small.rework.entrySet()) {
                    Map<String, String> bigRun = big.rework.get(rework.getKey());
                    if (bigRun != null) {
                        heapRows(md, new String[][] {{"heapLiveMedian", "live heap in a resync after " + rework.getKey() + ", median"},
                                {"heapLive", "live heap in a resync after " + rework.getKey() + ", max"}},
                                bigRun.get("db"), rework.getValue(), bigRun, null, null);
                    }
                }
                md.append('\n');
                // the target is Postroom's own heap: with PostgreSQL, whose cache is not in the JVM, when measured
                boolean pg = small.heapRunPg != null && big.heapRunPg != null;
                Map<String, String> a = pg ? small.heapRunPg : small.heapRun;
                Map<String, String> b = pg ? big.heapRunPg : big.heapRun;
                if (a != null && b != null) {
                    long x = Long.parseLong(a.get("heapLiveMedian"));
                    long y = Long.parseLong(b.get("heapLiveMedian"));
                    double ratio = (double) y / x;
                    targets.add(new String[] {"heap flat in mailbox size (-Xmx" + heap + ")",
                            f("%,d vs %,d messages, %s: live heap (median) %s vs %s (%s); max %s vs %s", big.size, small.size,
                                    pg ? "PostgreSQL" : "H2", mb(y), mb(x), times(ratio), mb(Long.parseLong(b.get("heapLive"))),
                                    mb(Long.parseLong(a.get("heapLive")))),
                            verdict(ratio <= 1.25)});
                }
                for (var rework : small.rework.entrySet()) {
                    Map<String, String> smallRun = rework.getValue();
                    Map<String, String> bigRun = big.rework.get(rework.getKey());
                    if (bigRun == null) {
                        continue;
                    }
                    long x = Long.parseLong(smallRun.get("heapLiveMedian"));
                    long y = Long.parseLong(bigRun.get("heapLiveMedian"));
                    targets.add(new String[] {"heap flat in mailbox size, resync after " + rework.getKey(),
                            f("%,d vs %,d messages, %s: live heap (median) %s vs %s (%s); max %s vs %s", big.size, small.size,
                                    bigRun.get("db"), mb(y), mb(x), times((double) y / x), mb(Long.parseLong(bigRun.get("heapLive"))),
                                    mb(Long.parseLong(smallRun.get("heapLive")))),
                            verdict((double) y / x <= 1.25)});
                }
            }
        }
        md.append(f("### Targets%n%n| target | measured | |%n|---|---|---|%n"));
        for (String[] t : targets) {
            md.append(f("| %s | %s | %s |%n", t[0], t[1], t[2]));
        }
        return md.toString();
    }

    private void heapRows(StringBuilder md, String[][] rows, String db, Map<String, String> smallLive,
                          Map<String, String> bigLive, Map<String, String> smallTimed, Map<String, String> bigTimed) {
        for (String[] row : rows) {
            Map<String, String> a = row[0].startsWith("heapLive") ? smallLive : smallTimed;
            Map<String, String> b = row[0].startsWith("heapLive") ? bigLive : bigTimed;
            if (a == null || b == null || a.get(row[0]) == null || b.get(row[0]) == null) {
                continue;
            }
            long x = Long.parseLong(a.get(row[0]));
            long y = Long.parseLong(b.get(row[0]));
            md.append(f("| %s, %s | %s | %s | %s |%n", row[1], db, mb(x), mb(y), times((double) y / x)));
        }
    }

    private void section(StringBuilder md, SizeResult r, List<String[]> targets) {
        double rawRate = r.rawLoop.messagesPerSecond();
        double rawMb = r.rawLoop.literalBytes() / r.rawLoop.seconds() / 1e6;
        md.append(f("### %,d messages (%s profile, %.2f GB, %,.0f bytes a message)%n%n", r.size, r.profile, r.bytes / 1e9,
                (double) r.bytes / r.messages));
        md.append(f("Dovecot's first BODYSTRUCTURE pass: %.1f s. Load average at the loopback measurements: %s.%n%n",
                r.primeSeconds, r.load.getOrDefault("loopback", "?")));
        md.append(f("| initial sync, loopback | msg/s | mailbox MB/s | vs raw |%n|---|---:|---:|---:|%n"));
        md.append(f("| raw `UID FETCH 1:* (BODY.PEEK[])` (the limit) | %,.0f | %,.0f | 100 %% |%n", rawRate, rawMb));
        if (r.h2 != null) {
            md.append(f("| **Postroom → H2 file** | %,.0f | %,.0f | **%s** |%n", rate(r.h2), r.bytes / seconds(r.h2) / 1e6,
                    pct(rate(r.h2) / rawRate)));
            // the calibration: mbsync without fsync at ~23 % of the raw fetch; here, in the same run
            String peer = r.mbsyncLoop == null ? "" : f("; mbsync without fsync %s here (H2 at %s its rate)",
                    pct(r.mbsyncLoop.messages() / r.mbsyncLoop.seconds() / rawRate),
                    times(rate(r.h2) / (r.mbsyncLoop.messages() / r.mbsyncLoop.seconds())));
            targets.add(new String[] {f("initial sync ≥ 25 %% of raw, loopback (%,d)", r.size),
                    f("%s (H2)%s%s", pct(rate(r.h2) / rawRate), r.pg == null ? "" : ", " + pct(rate(r.pg) / rawRate) + " (PostgreSQL)",
                            peer),
                    verdict(rate(r.h2) / rawRate >= 0.25)});
        }
        if (r.pg != null) {
            md.append(f("| **Postroom → PostgreSQL** | %,.0f | %,.0f | **%s** |%n", rate(r.pg), r.bytes / seconds(r.pg) / 1e6,
                    pct(rate(r.pg) / rawRate)));
        }
        mbsyncRow(md, "mbsync → Maildir, no fsync", r.mbsyncLoop, r, rawRate);
        mbsyncRow(md, "mbsync → Maildir, fsync", r.mbsyncLoopFsync, r, rawRate);
        md.append('\n');
        if (r.rawSlow != null) {
            double raw = r.rawSlow.messagesPerSecond();
            md.append(f("| initial sync, behind a proxy adding %d ms round trip | msg/s | vs raw | Postroom vs this |%n"
                    + "|---|---:|---:|---:|%n", latencyMs));
            md.append(f("| raw `UID FETCH 1:* (BODY.PEEK[])` | %,.0f | 100 %% | %s |%n", raw,
                    r.slow == null ? "" : times(rate(r.slow) / raw)));
            if (r.slow != null) {
                md.append(f("| **Postroom → H2 file** | %,.0f | %s | |%n", rate(r.slow), pct(rate(r.slow) / raw)));
            }
            for (Object[] m : new Object[][] {{"mbsync, no fsync", r.mbsyncSlow}, {"mbsync, fsync", r.mbsyncSlowFsync}}) {
                Mbsync.Result x = (Mbsync.Result) m[1];
                if (x != null) {
                    double rate = x.messages() / x.seconds();
                    md.append(f("| %s | %,.0f | %s | %s |%n", m[0], rate, pct(rate / raw),
                            r.slow == null ? "" : "**" + times(rate(r.slow) / rate) + "**"));
                }
            }
            md.append('\n');
            if (r.slow != null && r.mbsyncSlow != null) {
                double best = Math.max(r.mbsyncSlow.messages() / r.mbsyncSlow.seconds(),
                        r.mbsyncSlowFsync == null ? 0 : r.mbsyncSlowFsync.messages() / r.mbsyncSlowFsync.seconds());
                targets.add(new String[] {f("faster than mbsync behind %d ms (%,d)", latencyMs, r.size),
                        f("%s mbsync's faster run (no fsync), %s with fsync", times(rate(r.slow) / best),
                                r.mbsyncSlowFsync == null ? "?" : times(rate(r.slow)
                                        / (r.mbsyncSlowFsync.messages() / r.mbsyncSlowFsync.seconds()))),
                        verdict(rate(r.slow) > best)});
            }
            if (r.slow != null) {
                md.append(f("Behind the proxy Postroom sent %s IMAP commands and downloaded %s (headers, structure and text"
                        + " parts; never an attachment) of the %.2f GB mailbox.%n%n", r.slow.get("imapCommands"),
                        mb(r.slowDownloaded), r.bytes / 1e9));
            }
        }
        if (!r.noChange.isEmpty()) {
            List<Long> times = r.noChange.stream().map(m -> Long.parseLong(m.get("wallNanos"))).sorted().toList();
            double median = times.get(times.size() / 2) / 1e6;
            int folders = Integer.parseInt(r.noChange.get(0).get("folders"));
            md.append(f("| resync (%d folders, CONDSTORE/QRESYNC) | ms | ms per folder | IMAP commands |%n|---|---:|---:|---:|%n",
                    folders));
            md.append(f("| no change, median of %d (each a whole run: connect, login, LIST-STATUS, bookkeeping) | %.1f | %.1f | %s |%n",
                    times.size(), median, median / folders, r.noChange.get(0).get("imapCommands")));
            if (r.onePct != null) {
                md.append(f("| after %,d new messages (1 %%) | %.1f | %.1f | %s |%n", r.onePctMessages, seconds(r.onePct) * 1000,
                        seconds(r.onePct) * 1000 / folders, r.onePct.get("imapCommands")));
            }
            if (r.noChangePg != null) {
                md.append(f("| no change, PostgreSQL | %.1f | %.1f | %s |%n", seconds(r.noChangePg) * 1000,
                        seconds(r.noChangePg) * 1000 / folders, r.noChangePg.get("imapCommands")));
            }
            md.append(f("| baseline: raw connect, LOGIN, STATUS, LOGOUT | %.1f | | 3 |%n%n", r.statusMs));
            targets.add(new String[] {f("no-change resync < 50 ms per folder (%,d)", r.size),
                    f("%.1f ms per folder (%.0f ms for %d folders; raw login+STATUS %.1f ms)", median / folders, median, folders,
                            r.statusMs), verdict(median / folders < 50)});
        }
        md.append(f("| resources | H2, loopback | PostgreSQL | H2, %d ms |%n|---|---:|---:|---:|%n", latencyMs));
        if (r.heapRun != null) {
            md.append(f("| live heap, median / max (full GC every 0.5 s; separate, untimed run) | %s / %s | %s | |%n",
                    heap(r.heapRun, "heapLiveMedian"), heap(r.heapRun, "heapLive"),
                    r.heapRunPg == null ? "" : heap(r.heapRunPg, "heapLiveMedian") + " / " + heap(r.heapRunPg, "heapLive")));
        }
        for (var rework : r.rework.entrySet()) {
            Map<String, String> run = rework.getValue();
            boolean pg = "PostgreSQL".equals(run.get("db"));
            String live = heap(run, "heapLiveMedian") + " / " + heap(run, "heapLive");
            md.append(f("| live heap in a resync after %s (%.1f s, %,d flag changes, %,d stored), median / max | %s | %s | |%n",
                    rework.getKey(), seconds(run), Long.parseLong(run.get("flagChanges")), Long.parseLong(run.get("stored")),
                    pg ? "" : live, pg ? live : ""));
        }
        md.append(f("| heap in use after GC, max | %s | %s | %s |%n", heap(r.h2, "heapAfterGc"), heap(r.pg, "heapAfterGc"),
                heap(r.slow, "heapAfterGc")));
        md.append(f("| heap pools' peak (with garbage) | %s | %s | %s |%n", heap(r.h2, "heapPeak"), heap(r.pg, "heapPeak"),
                heap(r.slow, "heapPeak")));
        md.append(f("| JVM CPU per message | %s | %s | %s |%n", cpu(r.h2, "cpuNanos"), cpu(r.pg, "cpuNanos"), cpu(r.slow, "cpuNanos")));
        for (String g : new String[] {"imap", "parse", "write", "jit", "gc", "other"}) {
            md.append(f("| … %s threads | %s | %s | %s |%n", g, cpu(r.h2, "cpu." + g), cpu(r.pg, "cpu." + g),
                    cpu(r.slow, "cpu." + g)));
        }
        if (r.h2 != null) {
            md.append(f("| Dovecot CPU per message | %s | | |%n", f("%.3f ms", r.h2DovecotCpu / 1e6 / stored(r.h2))));
            if (r.pg != null) {
                md.append(f("| PostgreSQL server CPU per message | | %s | |%n", f("%.3f ms", r.pgServerCpu / 1e6 / stored(r.pg))));
            }
        }
        md.append(f("| database bytes per message | %s | %s | |%n%n",
                r.h2Stored == 0 ? "" : f("%,d", r.h2Bytes / r.h2Stored), r.pgStored == 0 ? "" : f("%,d", r.pgBytes / r.pgStored)));
    }

    private static void mbsyncRow(StringBuilder md, String name, Mbsync.Result m, SizeResult r, double rawRate) {
        if (m == null) {
            return;
        }
        double rate = m.messages() / m.seconds();
        md.append(f("| %s | %,.0f | %,.0f | %s |%n", name, rate, r.bytes / m.seconds() / 1e6, pct(rate / rawRate)));
    }

    private static String heap(Map<String, String> m, String key) {
        return m == null ? "" : mb(Long.parseLong(m.get(key)));
    }

    private static String cpu(Map<String, String> m, String key) {
        if (m == null || m.get(key) == null) {
            return "";
        }
        return f("%.3f ms", Long.parseLong(m.get(key)) / 1e6 / Math.max(1, stored(m)));
    }

    /** Puts the figures between the result markers of the file (creating it when missing). */
    void writeInto(Path file) throws IOException {
        String figures = Benchmark.START + "\n\n" + text() + "\n" + Benchmark.END;
        String content;
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            int a = old.indexOf(Benchmark.START);
            int b = old.indexOf(Benchmark.END);
            content = a >= 0 && b > a ? old.substring(0, a) + figures + old.substring(b + Benchmark.END.length())
                    : old.stripTrailing() + "\n\n" + figures + "\n";
        } else {
            content = "# Benchmarks\n\nRun with `mvn -B -Pbenchmarks -pl benchmarks -am verify -DskipTests` (see README.md).\n\n"
                    + figures + "\n";
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
