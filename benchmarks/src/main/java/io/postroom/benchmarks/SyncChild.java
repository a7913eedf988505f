package io.postroom.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.Tenant;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mailbox.internal.MailboxConfig;
import io.postroom.mailbox.internal.MailboxConnectionsImpl;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnectors;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import io.postroom.sync.RunReport;
import io.postroom.sync.SyncEngine;
import io.postroom.sync.SyncEngines;
import io.postroom.sync.SyncSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * One Postroom node in a JVM of its own (started by {@link Benchmark} with {@code -Xmx256m}):
 * the sync engine outside OSGi on the given database, as {@code SyncEngines} documents it. It
 * first synchronises a small warm-up mailbox into a database of its own (a running Karaf node is
 * warm), answers {@code READY}, then runs what the benchmark asks on standard input:
 * {@code sync <label>} (one run of the measured mailbox, initial or not) and {@code quit}. Each
 * answer is one line {@code RESULT <label> key=value ...}.
 */
public final class SyncChild {
    static final List<String> FOLDERS = List.of("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");

    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.flywaydb").setLevel(Level.WARNING);
        Map<String, String> a = Benchmark.options(args);
        ThreadCpu cpu = null;
        HeapWatch heap = new HeapWatch();
        Path keys = Path.of(a.get("keys"));
        SecretCipher cipher = SecretCiphers.fromKeyFile(keys.resolve("postroom-secret.key"));
        Host host = new Host();
        String imapHost = a.get("imap-host");

        int warmRounds = 0;
        double jitShare = 1;
        try (Node warm = new Node(a.get("warm-db"), a.get("db-user"), a.get("db-password"), cipher, host)) {
            // a running node is warm: sync the warm-up mailbox (into a fresh record set each round) until the JIT
            // compilers use less than a tenth of the CPU of a round, at most warm-rounds times
            int maxRounds = Integer.parseInt(a.getOrDefault("warm-rounds", "8"));
            while (warmRounds < maxRounds && jitShare > 0.10) {
                ThreadCpu round = new ThreadCpu();
                RunReport r = warm.engine.syncNow(warm.mailbox(a.get("warm-user"), a.get("warm-password"), imapHost,
                        Integer.parseInt(a.get("direct-port")), warmRounds == 0 ? "" : "+round" + warmRounds));
                Map<String, Long> used = round.byGroup();
                round.close();
                if (r.messagesStored() == 0) {
                    throw new IllegalStateException("warm-up stored nothing: " + r);
                }
                long total = used.values().stream().mapToLong(Long::longValue).sum();
                jitShare = total == 0 ? 0 : (double) used.get("jit") / total;
                warmRounds++;
                System.err.printf("warm-up round %d: %d messages, JIT %.0f %% of the CPU%n", warmRounds, r.messagesStored(),
                        100 * jitShare);
            }
        }
        try (Node node = new Node(a.get("db"), a.get("db-user"), a.get("db-password"), cipher, host)) {
            // a mailbox of its own, or (mailbox-id) the one an earlier node synchronised into this database
            MailboxId id = a.containsKey("mailbox-id") ? MailboxId.of(Long.parseLong(a.get("mailbox-id")))
                    : node.mailbox(a.get("user"), a.get("password"), imapHost, Integer.parseInt(a.get("port")));
            System.out.println("READY mailbox=" + id.value());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.strip().split(" ");
                if (cmd[0].equals("quit")) {
                    break;
                }
                if (cmd[0].equals("histo")) {
                    // diagnostics: the live objects by class (after a full collection), into the node's log
                    System.err.println(HeapWatch.histogram(43));
                    System.out.println("RESULT histo done=1");
                    System.out.flush();
                    continue;
                }
                if (!cmd[0].equals("sync")) {
                    System.out.println("ERROR unknown command " + line);
                    continue;
                }
                String label = cmd.length > 1 ? cmd[1] : "sync";
                long sampleMillis = cmd.length > 2 && cmd[2].startsWith("sample=") ? Long.parseLong(cmd[2].substring(7)) : 0;
                System.gc();
                heap.reset();
                HeapWatch.LiveSampler sampler = sampleMillis > 0 ? heap.sample(sampleMillis) : null;
                cpu = new ThreadCpu();
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpuStart = os.getProcessCpuTime();
                long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
                long compileBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
                long start = System.nanoTime();
                RunReport r = node.engine.syncNow(id);
                long wall = System.nanoTime() - start;
                long processCpu = os.getProcessCpuTime() - cpuStart;
                long live = sampler == null ? -1 : sampler.stop();
                Map<String, Long> groups = cpu.byGroup();
                String others = cpu.top("other", 6);
                cpu.close();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("outcome", r.outcome());
                result.put("stored", r.messagesStored());
                result.put("flagChanges", r.flagChanges());
                result.put("imapCommands", r.imapCommands());
                result.put("wallNanos", wall);
                result.put("cpuNanos", processCpu);
                groups.forEach((k, v) -> result.put("cpu." + k, v));
                result.put("gcs", heap.collections());
                result.put("heapPeak", heap.peakPools());
                result.put("heapAfterGc", heap.maxAfterGc());
                result.put("heapMax", HeapWatch.maxHeap());
                if (live >= 0) {
                    result.put("heapLive", live);
                    result.put("heapLiveMedian", sampler.median());
                    result.put("liveSamples", sampler.samples());
                }
                result.put("folders", FOLDERS.size());
                result.put("otherThreads", others);
                result.put("warmRounds", warmRounds);
                result.put("classesLoaded", ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classesBefore);
                result.put("compileMs", ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileBefore);
                long code = 0;
                for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getName().contains("CodeHeap") || pool.getName().contains("Code Cache")) {
                        code += pool.getUsage().getUsed();
                    }
                }
                result.put("codeCache", code);
                result.put("warmJitShare", Math.round(jitShare * 100));
                if (r.error() != null) {
                    result.put("error", r.error().replace(' ', '_'));
                }
                StringBuilder out = new StringBuilder("RESULT ").append(label);
                result.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
                System.out.println(out);
                System.out.flush();
            }
        }
        System.exit(0);
    }

    /** One database with its stores and a sync engine on it. */
    private static final class Node implements AutoCloseable {
        final HikariDataSource pool;
        final Stores stores;
        final SyncEngine engine;
        final SecretCipher cipher;
        final TenantId tenant = TenantId.of("bench");

        Node(String url, String user, String password, SecretCipher cipher, Host host) {
            HikariConfig config = new HikariConfig();
            // as the standalone's etc/org.ops4j.datasource-postroom.cfg: Hikari, 10 connections, 10 s timeout
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(10);
            config.setConnectionTimeout(10_000);
            config.setPoolName("postroom");
            this.pool = new HikariDataSource(config);
            this.stores = Stores.open(pool);
            this.cipher = cipher;
            MailboxConnections mailboxes = new MailboxConnectionsImpl(stores.mailboxes(), cipher, host, host, new NoEvents(),
                    defaults(MailboxConfig.class));
            this.engine = SyncEngines.builder()
                    .connector(MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts("127.0.0.1")
                            .withPlaintextHosts("127.0.0.1").withAllowedPorts()))
                    .mailboxes(mailboxes)
                    .stores(stores)
                    .settings(settings())
                    .build();
        }

        /** The defaults, as a node runs; experiments may change the batch ({@code -Dbench.batch=messages}). */
        private static SyncSettings settings() {
            SyncSettings d = SyncSettings.defaults().withNodeId("bench");
            int batch = Integer.getInteger("bench.batch", d.batchMessages());
            return d.withBatch(batch, d.batchBytes());
        }

        MailboxId mailbox(String user, String password, String host, int port) {
            return mailbox(user, password, host, port, "");
        }

        MailboxId mailbox(String user, String password, String host, int port, String addressSuffix) {
            MailboxSettings settings = new MailboxSettings("Anna", "", AccessLevel.PERSONAL, Set.of(),
                    MessageVisibility.OWNER_ONLY, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.MONTH_1, FOLDERS);
            return MailboxId.of(stores.mailboxes().create(new MailboxDraft(tenant, Host.OWNER,
                    EmailAddress.of(user + addressSuffix + "@postroom.test"), "custom", user, cipher.encrypt(Secret.of(password)),
                    new Endpoint(host, port, Security.NONE), new Endpoint(host, 25, Security.NONE), settings, Instant.now()),
                    List.of()).id());
        }

        @Override
        public void close() {
            engine.close();
            stores.close();
            pool.close();
        }
    }

    /** The host's side: one tenant, one user, an unlimited plan. */
    static final class Host implements TenantDirectory, PlanPolicy {
        static final UserId OWNER = UserId.of("anna");
        private static final Plan PLAN = new Plan("Benchmark", Plan.UNLIMITED, Duration.ofMinutes(10), true);

        @Override
        public Optional<Tenant> tenant(TenantId tenant) {
            return Optional.of(new Tenant(tenant, tenant.value()));
        }

        @Override
        public Optional<User> user(TenantId tenant, UserId user) {
            return OWNER.equals(user)
                    ? Optional.of(new User(OWNER, null, "Anna", "Koval", EmailAddress.of("anna@crm.example"), Set.of()))
                    : Optional.empty();
        }

        @Override
        public List<User> users(TenantId tenant) {
            return List.of(user(tenant, OWNER).orElseThrow());
        }

        @Override
        public Plan plan(TenantId tenant, UserId user) {
            return PLAN;
        }
    }

    private static final class NoEvents implements EventAdmin {
        @Override
        public void postEvent(Event event) {
        }

        @Override
        public void sendEvent(Event event) {
        }
    }

    /** An annotation-typed configuration with every default (as DS gives it without a configuration). */
    @SuppressWarnings("unchecked")
    private static <T> T defaults(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                method.getName().equals("annotationType") ? type
                        : method.getName().equals("toString") ? type.getSimpleName() + Arrays.toString(args)
                        : method.getDefaultValue());
    }
}
