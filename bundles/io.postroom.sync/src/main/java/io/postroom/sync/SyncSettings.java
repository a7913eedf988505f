package io.postroom.sync;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How the engine runs. {@link #defaults()} suits production; tests and benchmarks shorten the
 * times with the {@code with...} methods.
 *
 * @param nodeId             this node's name in leases and run history; unique in the cluster
 * @param pollInterval       how often the node looks for due mailboxes
 * @param workers            mailboxes synchronised at once on this node
 * @param parseThreads       threads parsing messages (shared by all runs of the node)
 * @param leaseTtl           how long a lease lasts without heartbeat; another node takes over after it
 * @param batchMessages      messages per FETCH batch (and per database transaction)
 * @param batchBytes         text bytes per FETCH batch: bounds the memory of a batch. A run caps it at half of what one
 *                           IMAP answer may hold on its connection ({@code ImapConnection.answerLimitBytes()}, four
 *                           times {@code maxResponseMegabytes} of {@code io.postroom.protocol})
 * @param quarantineAttempts tries per message before it waits for an operator
 * @param backfill           download older mail at low priority after the sync period was widened
 * @param backfillMessages   messages one backfill run downloads before it yields the lease
 * @param backoffBase        the first back-off after a transient failure; doubles up to the plan interval
 * @param targetsRefresh     how often the list of active mailboxes is read again
 * @param dbRetries          attempts to write one batch when the database fails transiently
 * @param keepRuns           runs kept in each mailbox's history
 * @param qresync            use QRESYNC where servers offer it (off: CONDSTORE only, for servers whose QRESYNC is broken)
 * @param maxHeaderBytes     octets of a message's header block downloaded ({@code BODY.PEEK[HEADER]<0.N>}); a longer
 *                           header is cut there and the message stored flagged {@code TRUNCATED_HEADER}. The MIME
 *                           parser's own limit ({@code maxHeaderBytes} of {@code io.postroom.mime}) applies too: the
 *                           smaller one is fetched. At least {@value #MIN_HEADER_BYTES}, at most {@value #MAX_HEADER_BYTES}
 */
public record SyncSettings(String nodeId, Duration pollInterval, int workers, int parseThreads, Duration leaseTtl,
                           int batchMessages, long batchBytes, int quarantineAttempts, boolean backfill,
                           int backfillMessages, Duration backoffBase, Duration targetsRefresh, int dbRetries,
                           int keepRuns, boolean qresync, int maxHeaderBytes) {

    /** 1 MiB, as the MIME parser's default header limit: a header block that long is far beyond real mail. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
    /** The MIME parser's own minimum. */
    public static final int MIN_HEADER_BYTES = 4096;
    /** 16 MiB: a header fetch must stay well below the connector's largest IMAP response (64 MiB by default). */
    public static final int MAX_HEADER_BYTES = 16 << 20;

    public SyncSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || nodeId.length() > 64) {
            throw new IllegalArgumentException("nodeId must have 1 to 64 characters");
        }
        positive("pollInterval", pollInterval);
        positive("leaseTtl", leaseTtl);
        positive("backoffBase", backoffBase);
        positive("targetsRefresh", targetsRefresh);
        atLeast("workers", workers, 1);
        atLeast("parseThreads", parseThreads, 1);
        atLeast("batchMessages", batchMessages, 1);
        atLeast("quarantineAttempts", quarantineAttempts, 1);
        atLeast("backfillMessages", backfillMessages, 1);
        atLeast("dbRetries", dbRetries, 1);
        atLeast("keepRuns", keepRuns, 1);
        if (batchBytes < 64 * 1024) {
            throw new IllegalArgumentException("batchBytes must be at least 64 KiB");
        }
        atLeast("maxHeaderBytes", maxHeaderBytes, MIN_HEADER_BYTES);
        if (maxHeaderBytes > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes must be at most " + MAX_HEADER_BYTES + ", was " + maxHeaderBytes);
        }
    }

    /** The settings as they were before {@code maxHeaderBytes}: that limit at its default. */
    public SyncSettings(String nodeId, Duration pollInterval, int workers, int parseThreads, Duration leaseTtl,
                        int batchMessages, long batchBytes, int quarantineAttempts, boolean backfill,
                        int backfillMessages, Duration backoffBase, Duration targetsRefresh, int dbRetries,
                        int keepRuns, boolean qresync) {
        this(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes, quarantineAttempts, backfill,
                backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync, DEFAULT_MAX_HEADER_BYTES);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(defaultNodeId(), Duration.ofSeconds(5), 4, Math.max(1, Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(90), 200, 8L * 1024 * 1024, 5, true, 5000, Duration.ofMinutes(1), Duration.ofSeconds(30),
                5, 20, true, DEFAULT_MAX_HEADER_BYTES);
    }

    /** Host name and a random suffix, e.g. {@code crm-1-3f9a2c}. */
    public static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "");
        if (host.isEmpty()) {
            host = "node";
        }
        if (host.length() > 50) {
            host = host.substring(0, 50);
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public SyncSettings withNodeId(String id) {
        return new SyncSettings(id, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withPollInterval(Duration d) {
        return new SyncSettings(nodeId, d, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withWorkers(int n) {
        return new SyncSettings(nodeId, pollInterval, n, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withParseThreads(int n) {
        return new SyncSettings(nodeId, pollInterval, workers, n, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withLeaseTtl(Duration d) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, d, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withBatch(int messages, long bytes) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, messages, bytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withQuarantineAttempts(int n) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                n, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withBackfill(boolean on, int messagesPerRun) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, on, messagesPerRun, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withBackoffBase(Duration d) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, d, targetsRefresh, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withTargetsRefresh(Duration d) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, d, dbRetries, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withDbRetries(int n) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, n, keepRuns, qresync,
                maxHeaderBytes);
    }

    public SyncSettings withQresync(boolean on) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, on,
                maxHeaderBytes);
    }

    /** How much of a message's header block is downloaded; see {@link #maxHeaderBytes()}. */
    public SyncSettings withMaxHeaderBytes(int bytes) {
        return new SyncSettings(nodeId, pollInterval, workers, parseThreads, leaseTtl, batchMessages, batchBytes,
                quarantineAttempts, backfill, backfillMessages, backoffBase, targetsRefresh, dbRetries, keepRuns, qresync, bytes);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }
}
