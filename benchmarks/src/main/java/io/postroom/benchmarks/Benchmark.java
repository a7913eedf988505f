package io.postroom.benchmarks;

import io.postroom.testing.dovecot.BulkLoad;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import io.postroom.testing.proxy.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Postroom's sync against the limit and against mbsync, measured in one run on one machine.
 *
 * <p>For each mailbox size (system property {@code bench.sizes}, default {@code 10000,100000}):
 * generated realistic mail ({@link MailGenerator}) bulk-loaded into a private Dovecot; a raw
 * {@code UID FETCH 1:* (BODY.PEEK[])} ({@link RawFetch}: the limit); Postroom's initial sync in a
 * JVM of its own with {@code -Xmx256m} ({@link SyncChild}) into an H2 file database as the
 * standalone assembly configures it and into PostgreSQL (fsync on); mbsync into a Maildir with
 * and without fsync; the same behind a TCP proxy adding a 20 ms round trip ({@link FaultProxy});
 * resyncs without changes and after 1 % new mail; heap high-water marks (the live heap of an
 * initial sync, and of resyncs after a change to every message and after a new UIDVALIDITY);
 * database bytes per message. Everything is reported against the baselines of the same run (a shared machine makes
 * absolute times meaningless from one run to the next) and written into {@code bench.out}
 * (docs/benchmarks.md) between the result markers; the text around them is kept.
 *
 * <p>Options (system properties): {@code bench.sizes}, {@code bench.out}, {@code bench.work} (a
 * directory with room: about 2.3 times the generated mail), {@code bench.profiles} (e.g.
 * {@code 100000:SMALL}; default: REALISTIC where the disk has room, else SMALL),
 * {@code bench.latencyMs} (20), {@code bench.warmup} (messages of the warm-up mailbox, 2000),
 * {@code bench.heap} (256m), {@code bench.skip} (any of {@code postgres,mbsync,latency,resync,onepct,heap,flagall,remap}).
 */
public final class Benchmark {
    static final String START = "<!-- results:start (written by benchmarks/; do not edit by hand) -->";
    static final String END = "<!-- results:end -->";

    private final Map<String, String> options;
    private final Path work;
    private final Set<String> skip;
    private final int latencyMs;
    private final String heap;
    private final List<SizeResult> results = new ArrayList<>();
    private Machine machine;
    private String dbVersion = "";

    private Benchmark(Map<String, String> options) throws IOException {
        this.options = options;
        Path base = Path.of(opt("work", System.getProperty("java.io.tmpdir")));
        this.work = Files.createTempDirectory(Files.createDirectories(base), "postroom-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))); // Dovecot's users read inside
        this.skip = Set.of(opt("skip", "").split(","));
        this.latencyMs = Integer.parseInt(opt("latencyMs", "20"));
        this.heap = opt("heap", "256m");
    }

    private String opt(String name, String fallback) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty("bench." + name);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    public static void main(String[] args) throws Exception {
        Benchmark b = new Benchmark(options(args));
        try {
            b.run();
        } finally {
            if (!Boolean.parseBoolean(b.opt("keep", "false"))) {
                deleteTree(b.work);
            }
        }
        System.exit(0);
    }

    /** {@code --key=value} arguments (blank ones ignored). */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String arg : args) {
            for (String a : arg.strip().split("\\s+")) { // Maven passes -Dbench.args="--a=1 --b=2" as one argument
                if (a.startsWith("--") && a.contains("=")) {
                    m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                }
            }
        }
        return m;
    }

    private void run() throws Exception {
        if (!Dovecot.isAvailable()) {
            throw new IllegalStateException(Dovecot.NOT_INSTALLED);
        }
        machine = Machine.describe();
        Instant started = Instant.now();
        String loadBefore = Machine.load();
        log("Postroom benchmark on %s", machine.describe(", "));
        log("load average before: %s; work directory %s (%.0f GB free)", loadBefore, work,
                Files.getFileStore(work).getUsableSpace() / 1e9);
        List<Integer> sizes = Stream.of(opt("sizes", "10000,100000").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        try (Dovecot dovecot = Dovecot.builder().directory(work.resolve("dovecot")).start();
             Databases dbs = new Databases(work, opt("postgres", ""))) {
            long master = ProcessCpu.find("dovecot", work.resolve("dovecot").toString());
            DovecotUser warm = dovecot.newUser();
            int warmCount = Integer.parseInt(opt("warmup", "2000"));
            dovecot.bulkLoad(warm.name(), "INBOX", MailGenerator.builder().seed(1).count(warmCount).lastDays(25)
                    .sizes(SizeProfile.REALISTIC).build().messages());
            RawFetch warmRaw = new RawFetch(Dovecot.HOST, dovecot.imapPort(), warm.name(), warm.password());
            warmRaw.fetch("INBOX", "BODYSTRUCTURE BODY.PEEK[HEADER]");
            warmRaw.fetchAll("INBOX"); // the raw client's JIT warm-up
            for (int size : sizes) {
                results.add(measure(size, dovecot, master, warm, dbs));
            }
            dbVersion = dbs.describe();
        }
        String loadAfter = Machine.load();
        Report report = new Report(machine, dbVersion, started, loadBefore, loadAfter, latencyMs, heap, results);
        System.out.println();
        System.out.println(report.text());
        Path out = Path.of(opt("out", "docs/benchmarks.md"));
        report.writeInto(out);
        log("figures written into %s", out.toAbsolutePath());
    }

    private SizeProfile profile(int size) throws IOException {
        for (String p : opt("profiles", "").split(",")) {
            String[] kv = p.strip().split(":");
            if (kv.length == 2 && Integer.parseInt(kv[0].strip()) == size) {
                return SizeProfile.valueOf(kv[1].strip().toUpperCase(Locale.ROOT));
            }
        }
        // Dovecot's copy, mbsync's copy, databases: about 2.3 times the mail; REALISTIC is ~90 KB a message
        long needed = (long) (size * 90_000L * 2.3) + 5_000_000_000L;
        return Files.getFileStore(work).getUsableSpace() > needed ? SizeProfile.REALISTIC : SizeProfile.SMALL;
    }

    private SizeResult measure(int size, Dovecot dovecot, long master, DovecotUser warm, Databases dbs) throws Exception {
        SizeResult r = new SizeResult();
        r.size = size;
        r.profile = profile(size);
        DovecotUser user = dovecot.newUser();
        log("[%,d] generating %,d %s messages into Dovecot", size, size, r.profile);
        BulkLoad load = dovecot.bulkLoad(user.name(), "INBOX", MailGenerator.builder().seed(size).count(size).lastDays(25)
                .sizes(r.profile).build().messages());
        for (String f : SyncChild.FOLDERS) {
            dovecot.createFolder(user.name(), f);
        }
        r.messages = load.messages();
        r.bytes = load.bytes();
        log("[%,d] loaded: %s", size, load);
        RawFetch raw = new RawFetch(Dovecot.HOST, dovecot.imapPort(), user.name(), user.password());
        long primeStart = System.nanoTime();
        raw.fetch("INBOX", "BODYSTRUCTURE BODY.PEEK[HEADER]");
        r.primeSeconds = (System.nanoTime() - primeStart) / 1e9;
        log("[%,d] Dovecot's first BODYSTRUCTURE pass (cached from now on, not part of any figure): %.1f s", size, r.primeSeconds);

        // ---- loopback
        r.load.put("loopback", Machine.load());
        r.rawLoop = rawMedian(raw, 3, "loopback");
        r.statusMs = statusRoundTrip(raw);
        Databases.Target h2 = dbs.h2("loop" + size);
        String mailboxId;
        Map<String, String> node = nodeOptions(dovecot, warm, user, dovecot.imapPort(), h2, dbs.h2("warm-loop" + size));
        try (Child child = Child.start(work, "h2-" + size, jvm(), node)) {
            mailboxId = child.mailbox();
            long dc = ProcessCpu.treeNanos(master);
            r.h2 = child.sync("initial");
            r.h2DovecotCpu = ProcessCpu.treeNanos(master) - dc;
            log("[%,d] Postroom -> H2: %s", size, summary(r.h2, r));
            log("[%,d]   %s", size, r.h2);
            if (!skip.contains("resync")) {
                for (int i = 0; i < Integer.parseInt(opt("noChangeRuns", "5")); i++) {
                    r.noChange.add(child.sync("nochange" + i));
                }
                log("[%,d] no-change resync: %s ms", size, r.noChange.stream().map(m -> ms(m.get("wallNanos"))).toList());
            }
        }
        r.h2Bytes = dbs.bytes(h2);
        r.h2Stored = count(r.h2);
        if (!skip.contains("postgres")) {
            Databases.Target pg = dbs.postgres("loop" + size);
            try (Child child = Child.start(work, "pg-" + size, jvm(),
                    nodeOptions(dovecot, warm, user, dovecot.imapPort(), pg, dbs.postgres("warmloop" + size)))) {
                long postmaster = dbs.postgresPid();
                long pc = ProcessCpu.treeNanos(postmaster);
                r.pg = child.sync("initial");
                r.pgServerCpu = ProcessCpu.treeNanos(postmaster) - pc;
                log("[%,d] Postroom -> PostgreSQL: %s", size, summary(r.pg, r));
                if (!skip.contains("resync")) {
                    r.noChangePg = child.sync("nochange");
                }
            }
            r.pgBytes = dbs.bytes(pg);
            r.pgStored = count(r.pg);
        }
        if (!skip.contains("mbsync") && Mbsync.isAvailable()) {
            r.mbsyncLoop = Mbsync.pull(work, Dovecot.HOST, dovecot.imapPort(), user.name(), user.password(), "INBOX", false);
            settle();
            log("[%,d] mbsync, no fsync: %,d in %.1f s", size, r.mbsyncLoop.messages(), r.mbsyncLoop.seconds());
            r.mbsyncLoopFsync = Mbsync.pull(work, Dovecot.HOST, dovecot.imapPort(), user.name(), user.password(), "INBOX", true);
            settle();
            log("[%,d] mbsync, fsync: %,d in %.1f s", size, r.mbsyncLoopFsync.messages(), r.mbsyncLoopFsync.seconds());
        }

        // ---- behind a delaying proxy
        if (!skip.contains("latency")) {
            try (FaultProxy proxy = FaultProxy.start(dovecot.imapPort()).roundTrip(Duration.ofMillis(latencyMs))) {
                r.load.put("latency", Machine.load());
                RawFetch slow = new RawFetch(proxy.host(), proxy.port(), user.name(), user.password());
                r.rawSlow = rawMedian(slow, 2, latencyMs + " ms");
                Databases.Target h2slow = dbs.h2("slow" + size);
                try (Child child = Child.start(work, "h2slow-" + size, jvm(),
                        nodeOptions(dovecot, warm, user, proxy.port(), h2slow, dbs.h2("warm-slow" + size)))) {
                    long before = proxy.bytesFromServer();
                    r.slow = child.sync("initial");
                    r.slowDownloaded = proxy.bytesFromServer() - before;
                    log("[%,d] Postroom -> H2 behind %d ms: %s", size, latencyMs, summary(r.slow, r));
                }
                if (!skip.contains("mbsync") && Mbsync.isAvailable()) {
                    r.mbsyncSlow = Mbsync.pull(work, proxy.host(), proxy.port(), user.name(), user.password(), "INBOX", false);
                    settle();
                    log("[%,d] mbsync behind %d ms, no fsync: %.1f s", size, latencyMs, r.mbsyncSlow.seconds());
                    r.mbsyncSlowFsync = Mbsync.pull(work, proxy.host(), proxy.port(), user.name(), user.password(), "INBOX", true);
                    settle();
                    log("[%,d] mbsync behind %d ms, fsync: %.1f s", size, latencyMs, r.mbsyncSlowFsync.seconds());
                }
            }
        }
        // ---- the live heap: the same initial sync once more, not timed, with a full collection every 0.5 s
        Databases.Target heapDb = null;
        if (!skip.contains("heap")) {
            heapDb = dbs.h2("heap" + size);
            r.heapRun = liveHeap(size, "H2", dovecot, warm, user, heapDb, dbs.h2("warm-heap" + size));
            if (!skip.contains("postgres")) {
                // Postroom's own heap: PostgreSQL keeps its cache outside the JVM (H2's page cache, bounded, is in it)
                heapDb = dbs.postgres("heap" + size);
                r.heapRunPg = liveHeap(size, "PostgreSQL", dovecot, warm, user, heapDb, dbs.postgres("warmheap" + size));
            }
        }
        // ---- 1 % new mail, last (so that every other figure sees the same mailbox): a new node on the same database
        if (!skip.contains("resync") && !skip.contains("onepct")) {
            node.put("mailbox-id", mailboxId);
            node.put("warm-db", dbs.h2("warm-again" + size).url());
            try (Child child = Child.start(work, "h2-resync-" + size, jvm(), node)) {
                int more = Math.max(1, size / 100);
                BulkLoad added = dovecot.bulkLoad(user.name(), "INBOX", MailGenerator.builder().seed(size + 1L).count(more)
                        .lastDays(1).sizes(r.profile).build().messages());
                r.onePctMessages = added.messages();
                r.onePct = child.sync("onepct");
                log("[%,d] resync after %,d new: %s ms, %s stored", size, more, ms(r.onePct.get("wallNanos")),
                        r.onePct.get("stored"));
                r.noChangeAfter = child.sync("nochange-after");
            }
            r.h2Bytes = dbs.bytes(h2);
            r.h2Stored += count(r.onePct);
        }
        // ---- resyncs that touch every message, after everything else has seen the mailbox as it was: a change to
        // every message ("mark all as read"), then a new UIDVALIDITY (the server rebuilt the folder: every message is
        // matched again by Message-ID); the live heap of each, on the live-heap run's database (PostgreSQL where measured)
        Map<String, String> heapBase = r.heapRunPg != null ? r.heapRunPg : r.heapRun;
        if (heapBase != null && !(skip.contains("flagall") && skip.contains("remap"))) {
            boolean pg = heapBase == r.heapRunPg;
            Map<String, String> reworkNode = nodeOptions(dovecot, warm, user, dovecot.imapPort(), heapDb,
                    pg ? dbs.postgres("warmrework" + size) : dbs.h2("warm-rework" + size));
            reworkNode.put("mailbox-id", heapBase.get("mailbox"));
            reworkNode.put("warm-rounds", "1");
            try (Child child = Child.start(work, "rework-" + size, jvm(), reworkNode)) {
                if (!skip.contains("flagall")) {
                    dovecot.addFlags(user.name(), "INBOX", "1:*", "$Benchmark");
                    rework(r, size, "a change to every message", child, "flagall", pg);
                }
                if (!skip.contains("remap")) {
                    dovecot.recreateFolder(user.name(), "INBOX");
                    rework(r, size, "a new UIDVALIDITY", child, "remap", pg);
                }
            }
        }
        // the generated mail is no longer needed: give its disk back for the next size
        deleteTree(dovecot.maildir(user.name()));
        return r;
    }

    /** One resync that touches every message, with the live heap sampled (a shorter run than a first sync: more often). */
    private void rework(SizeResult r, int size, String what, Child child, String label, boolean pg) throws IOException {
        Map<String, String> run = child.sync(label, 200);
        run.put("db", pg ? "PostgreSQL" : "H2");
        r.rework.put(what, run);
        log("[%,d] live heap of a resync after %s, %s: median %.0f MB, max %.0f MB, %s flag changes, %s stored, %s ms", size,
                what, run.get("db"), Long.parseLong(run.get("heapLiveMedian")) / 1e6, Long.parseLong(run.get("heapLive")) / 1e6,
                run.get("flagChanges"), run.get("stored"), ms(run.get("wallNanos")));
    }

    private static long count(Map<String, String> m) {
        return m == null ? 0 : Long.parseLong(m.getOrDefault("stored", "0"));
    }

    /** The same initial sync once more, not timed, with a full collection every 0.5 s. */
    private Map<String, String> liveHeap(int size, String dbName, Dovecot dovecot, DovecotUser warm, DovecotUser user,
                                         Databases.Target db, Databases.Target warmDb) throws Exception {
        Map<String, String> heapNode = nodeOptions(dovecot, warm, user, dovecot.imapPort(), db, warmDb);
        heapNode.put("warm-rounds", "1");
        try (Child child = Child.start(work, "heap-" + dbName + "-" + size, jvm(), heapNode)) {
            Map<String, String> run = child.sync("heap", 500);
            run.put("mailbox", child.mailbox());
            if (Boolean.parseBoolean(opt("histogram", "false"))) {
                child.histogram();
            }
            log("[%,d] live heap, %s (full GC every 0.5 s, %s samples): median %.0f MB, max %.0f MB", size, dbName,
                    run.get("liveSamples"), Long.parseLong(run.get("heapLiveMedian")) / 1e6, Long.parseLong(run.get("heapLive")) / 1e6);
            return run;
        }
    }

    private List<String> jvm() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        for (String o : opt("childJvm", "").split("[ ;]")) { // several options: separated by ";"
            if (!o.isBlank()) {
                options.add(o);
            }
        }
        return options;
    }

    private Map<String, String> nodeOptions(Dovecot dovecot, DovecotUser warm, DovecotUser user, int port,
                                            Databases.Target db, Databases.Target warmDb) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("db", db.url());
        m.put("warm-db", warmDb.url());
        m.put("db-user", db.user());
        m.put("db-password", db.password());
        m.put("keys", Files.createDirectories(work.resolve("keys")).toString());
        m.put("imap-host", Dovecot.HOST);
        m.put("direct-port", Integer.toString(dovecot.imapPort()));
        m.put("port", Integer.toString(port));
        m.put("user", user.name());
        m.put("password", user.password());
        m.put("warm-user", warm.name());
        m.put("warm-password", warm.password());
        m.put("warm-rounds", opt("warmRounds", "8"));
        return m;
    }

    /** The median of a few raw fetches (by time). */
    private RawFetch.Result rawMedian(RawFetch raw, int runs, String where) throws IOException {
        List<RawFetch.Result> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(raw.fetchAll("INBOX"));
        }
        all.sort(Comparator.comparingLong(RawFetch.Result::nanos));
        RawFetch.Result median = all.get(all.size() / 2);
        log("raw UID FETCH 1:* (BODY.PEEK[]) %s: %s s, median %.0f msg/s", where,
                all.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.seconds())).toList(), median.messagesPerSecond());
        return median;
    }

    /** The smallest conversation a resync needs: connect, LOGIN, STATUS, LOGOUT (median of 5, ms). */
    private static double statusRoundTrip(RawFetch raw) throws IOException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            times.add(raw.status("INBOX"));
        }
        times.sort(null);
        return times.get(2) / 1e6;
    }

    /** Flushes what mbsync left in the page cache, so that the next measurement does not pay for it. */
    private static void settle() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            // not fatal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String summary(Map<String, String> m, SizeResult r) {
        double s = Long.parseLong(m.get("wallNanos")) / 1e9;
        return String.format(Locale.ROOT, "%s, %s stored in %.1f s = %.0f msg/s, %s IMAP commands, heap after GC max %.0f MB",
                m.get("outcome"), m.get("stored"), s, Long.parseLong(m.get("stored")) / s, m.get("imapCommands"),
                Long.parseLong(m.get("heapAfterGc")) / 1e6);
    }

    private static String ms(String nanos) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(nanos) / 1e6);
    }

    static void log(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything measured for one mailbox size. */
    static final class SizeResult {
        int size;
        SizeProfile profile;
        long messages;
        long bytes;
        double primeSeconds;
        double statusMs;
        final Map<String, String> load = new LinkedHashMap<>();
        RawFetch.Result rawLoop;
        RawFetch.Result rawSlow;
        Map<String, String> h2;
        long h2DovecotCpu;
        /** CPU time of the PostgreSQL server (postmaster, backends, background workers) during the initial sync. */
        long pgServerCpu;
        Map<String, String> pg;
        Map<String, String> slow;
        long slowDownloaded;
        final List<Map<String, String>> noChange = new ArrayList<>();
        Map<String, String> noChangeAfter;
        Map<String, String> noChangePg;
        Map<String, String> heapRun;
        Map<String, String> heapRunPg;
        Map<String, String> onePct;
        long onePctMessages;
        /** Resyncs that touch every message, by what happened on the server. */
        final Map<String, Map<String, String>> rework = new LinkedHashMap<>();
        Mbsync.Result mbsyncLoop;
        Mbsync.Result mbsyncLoopFsync;
        Mbsync.Result mbsyncSlow;
        Mbsync.Result mbsyncSlowFsync;
        long h2Bytes;
        long h2Stored;
        long pgBytes;
        long pgStored;
    }
}
