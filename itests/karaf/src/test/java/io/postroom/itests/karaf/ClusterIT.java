package io.postroom.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.secrets.SecretCiphers;
import io.postroom.testing.FreePorts;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.dovecot.StoredMessage;
import io.postroom.testing.greenmail.GreenMailServers;
import io.postroom.testing.mail.GeneratedMail;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import io.postroom.testing.proxy.FaultProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.After;
import org.junit.Test;

/**
 * The cluster promise of the sync, end to end: two standalone Postroom nodes (real Karaf
 * processes unpacked from the assembly) on one PostgreSQL; a mailbox syncs on exactly one of them
 * (the lease in the database); that node is killed ({@code kill -9} of its JVM) in the middle of
 * the first sync, and the other node continues once the lease expired: in the end the database
 * holds exactly the server's messages, each once, and the run history tells what happened.
 *
 * <p>Set-up: an embedded PostgreSQL on loopback, a private Dovecot with a few thousand generated
 * messages (INBOX, Sent, and an Archive folder holding copies of INBOX messages: one record, two
 * locations), reached through a proxy that adds a small round trip so that the sync takes long
 * enough to be killed half way on any machine, and a GreenMail SMTP server (the mailbox's SMTP:
 * creating a mailbox logs in to it and sends the verification code through it). Both nodes get
 * the same secret key file: node B decrypts the password node A encrypted.
 *
 * <p>A plain JUnit 4 test (Pax Exam runs one container): failsafe runs it with the Pax Exam tests.
 * {@code -Dpostroom.cluster.keep=true} keeps the nodes' folders (target/cluster) for a look at
 * their logs; on failure the tail of both logs is printed anyway. Skipped without Dovecot.
 */
public class ClusterIT {
    private static final String ADDRESS = "anna@postroom.test";
    private static final String DATABASE = "postroom_cluster";
    private static final int INBOX_MESSAGES = 3000;
    private static final int SENT_MESSAGES = 300;
    private static final int ARCHIVE_MESSAGES = 150;
    private static final List<String> FOLDERS = List.of("INBOX", "Sent", "Archive");
    /** Short lease, so the test waits little for a dead node's lease; long enough for a loaded machine's heartbeats. */
    private static final int LEASE_SECONDS = 10;
    /** Small batches: many commits, so the node dies between two of them with work done and work left. */
    private static final int BATCH_MESSAGES = 20;
    /** The node is killed once its run reports this many messages done. */
    private static final int KILL_AFTER = 300;
    /** Added between the nodes and Dovecot: a nearby server, not a slow one; it paces the sync at any CPU speed. */
    private static final Duration ROUND_TRIP = Duration.ofMillis(20);
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern CODE = Pattern.compile("is\\s+(\\d{6})\\b");

    private final List<String> transcript = new ArrayList<>();
    private Path root;
    private EmbeddedPostgres postgres;
    private DataSource db;
    private Dovecot dovecot;
    private FaultProxy proxy;
    private GreenMail smtp;
    private KarafNode nodeA;
    private KarafNode nodeB;
    private boolean failed;

    @Test
    public void aNodeKilledMidSyncLeavesTheMailboxToTheOtherWithNoDuplicateAndNoLoss() throws Exception {
        assumeTrue(Dovecot.NOT_INSTALLED, Dovecot.isAvailable());
        try {
            scenario();
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    private void scenario() throws Exception {
        root = Path.of(System.getProperty("postroom.cluster.directory", "target/cluster")).toAbsolutePath();
        Path assembly = Path.of(required("postroom.assembly"));
        assertTrue(assembly + " is missing: build karaf-assembly first (mvn install -pl features,karaf-assembly)",
                Files.isRegularFile(assembly));
        Files.createDirectories(root);

        // ---------------------------------------------------------------- the servers
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off").setServerConfig("max_connections", "100").start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        db = postgres.getDatabase("postgres", DATABASE);

        dovecot = Dovecot.start();
        DovecotUser user = dovecot.newUser();
        MailGenerator inbox = MailGenerator.builder().seed(3101).count(INBOX_MESSAGES).lastDays(10).sizes(SizeProfile.SMALL)
                .owner("Anna Koval", ADDRESS).build();
        MailGenerator sent = MailGenerator.builder().seed(3102).count(SENT_MESSAGES).lastDays(10).sizes(SizeProfile.SMALL)
                .owner("Anna Koval", ADDRESS).outgoing(true).build();
        List<GeneratedMail> archived = inbox.messages().stream().filter(m -> m.messageId() != null).limit(ARCHIVE_MESSAGES)
                .toList();
        dovecot.bulkLoad(user.name(), "INBOX", inbox.messages());
        dovecot.bulkLoad(user.name(), "Sent", sent.messages());
        dovecot.bulkLoad(user.name(), "Archive", archived);
        Map<String, List<StoredMessage>> server = serverMessages(user);
        Expected expected = Expected.of(server);
        assertEquals(INBOX_MESSAGES + SENT_MESSAGES + ARCHIVE_MESSAGES, expected.locations);
        say("Dovecot holds " + expected.records + " messages in " + expected.locations + " locations (" + FOLDERS + ")");

        proxy = FaultProxy.start(dovecot.imapPort()).roundTrip(ROUND_TRIP);
        smtp = GreenMailServers.start(GreenMailConfiguration.aConfig().withUser(ADDRESS, user.name(), user.password()),
                ServerSetup.PROTOCOL_SMTP);

        // ---------------------------------------------------------------- two nodes, one database, one key
        Path key = root.resolve("postroom-secret.key");
        Files.deleteIfExists(key);
        SecretCiphers.fromKeyFile(key); // writes a new key, as a node's first start would
        int[] ports = FreePorts.find(12);
        nodeA = node("node-a", assembly, key, Arrays.copyOfRange(ports, 0, 6));
        nodeB = node("node-b", assembly, key, Arrays.copyOfRange(ports, 6, 12));
        nodeA.start();
        nodeB.start();
        Rest restA = waitUntilUp(nodeA);
        Rest restB = waitUntilUp(nodeB);
        say("Both nodes are up: " + nodeA + ", " + nodeB + "; PostgreSQL on port " + postgres.getPort());

        // ---------------------------------------------------------------- a mailbox, created on A, verified on B
        Rest.Answer created = restA.post("alice", "alice", "/mailboxes", "{\"preset\": \"custom\", \"address\": "
                + Rest.quote(ADDRESS) + ", \"username\": " + Rest.quote(user.name()) + ", \"password\": "
                + Rest.quote(user.password()) + ", \"imapHost\": \"127.0.0.1\", \"imapPort\": " + proxy.port()
                + ", \"imapSecurity\": \"none\", \"smtpHost\": \"127.0.0.1\", \"smtpPort\": " + smtp.getSmtp().getPort()
                + ", \"smtpSecurity\": \"none\", \"folders\": [\"INBOX\", \"Sent\", \"Archive\"]}");
        assertEquals(created.toString(), 201, created.status());
        long id = created.json().path("id").asLong();
        Rest.Answer verified = restB.post("alice", "alice", "/mailboxes/" + id + "/verify",
                "{\"code\": " + Rest.quote(verificationCode()) + "}");
        assertEquals(verified.toString(), 200, verified.status());
        assertTrue(verified.toString(), verified.json().path("verified").asBoolean());

        // ---------------------------------------------------------------- sync now; kill the node that runs it
        Rest.Answer started = waitFor("the sync service on node-a", Duration.ofMinutes(1), () -> {
            Rest.Answer answer = restA.post("alice", "alice", "/mailboxes/" + id + "/sync", null);
            return answer.status() == 503 ? null : answer;
        });
        // 409: a node's poller was faster than the request (the new mailbox was due anyway)
        assertTrue(started.toString(), started.status() == 202
                || started.status() == 409 && started.errorCode().equalsIgnoreCase("sync_already_running"));

        Set<String> runningNodes = new TreeSet<>();
        JsonNode progress = waitFor("the sync to have " + KILL_AFTER + " messages done", SYNC_TIMEOUT, () -> {
            JsonNode status = restA.get("alice", "alice", "/mailboxes/" + id + "/sync").json();
            if (status.path("lastFinishedAt").isTextual()) {
                fail("The first sync ended before a node could be killed in the middle of it; make it longer. " + status);
            }
            JsonNode p = status.path("progress");
            if (!status.path("state").asText().equals("running") || !p.isObject()) {
                return null;
            }
            runningNodes.add(p.path("node").asText());
            return p.path("messagesDone").asLong() >= KILL_AFTER ? p : null;
        });
        assertEquals("nodes seen running the mailbox", 1, runningNodes.size());
        String victimName = progress.path("node").asText();
        assertTrue("unknown node " + victimName, victimName.equals("node-a") || victimName.equals("node-b"));
        KarafNode victim = victimName.equals("node-a") ? nodeA : nodeB;
        KarafNode survivor = victim == nodeA ? nodeB : nodeA;
        Rest survivorRest = victim == nodeA ? restB : restA;
        say(victim.name + " runs the sync (" + progress + "); killing it (pid " + victim.pid() + ")");

        // exactly one node at a time: one claim, one run, and the other node refuses to start a second
        Schedule before = schedule(id);
        assertEquals(victim.name, before.leaseOwner);
        assertEquals("claims of the mailbox so far", 1, before.epoch);
        List<Run> runsBefore = runs(id);
        assertEquals(runsBefore.toString(), 1, runsBefore.size());
        assertEquals(victim.name, runsBefore.get(0).node);
        assertNull(runsBefore.get(0).finishedAt);
        Rest.Answer refused = survivorRest.post("alice", "alice", "/mailboxes/" + id + "/sync", null);
        assertEquals(refused.toString(), 409, refused.status());
        assertTrue(refused.toString(), refused.errorCode().equalsIgnoreCase("sync_already_running"));

        // kill -9 of the JVM itself (bin/karaf daemon execs java: the child process is the JVM)
        assertTrue(victim.name + " runs " + victim.command() + ", not the JVM", victim.command().endsWith("java"));
        victim.kill();
        assertFalse(victim.isAlive());
        Schedule atKill = schedule(id); // the dead node's last lease: nobody may claim before it expires
        assertEquals(victim.name, atKill.leaseOwner);
        assertEquals(1, atKill.epoch);
        long storedAtKill = count("SELECT COUNT(*) FROM message WHERE mailbox_id = ?", id);
        assertTrue("the node died in the middle of the sync: " + storedAtKill + " of " + expected.records + " stored",
                storedAtKill > 0 && storedAtKill < expected.records);
        say(victim.name + " is dead with " + storedAtKill + " of " + expected.records + " messages stored; its lease expires at "
                + atKill.leaseExpires);

        // ---------------------------------------------------------------- the other node finishes
        JsonNode finished = waitFor(survivor.name + " to finish the sync", SYNC_TIMEOUT, () -> {
            for (JsonNode run : survivorRest.get("alice", "alice", "/mailboxes/" + id + "/sync/runs").json().path("runs")) {
                if (run.path("node").asText().equals(survivor.name) && run.path("outcome").isTextual()) {
                    return run;
                }
            }
            return null;
        });
        assertEquals(finished.toString(), "succeeded", finished.path("outcome").asText());
        say(survivor.name + " finished: " + finished);

        // ---------------------------------------------------------------- the database holds the server's messages, once
        for (String folder : FOLDERS) {
            assertEquals("messages (UID -> Message-ID) of " + folder, messageIds(server.get(folder)), storedMessageIds(id, folder));
            assertEquals("flags of " + folder, flags(server.get(folder)), storedFlags(id, folder));
        }
        assertEquals("records", expected.records, count("SELECT COUNT(*) FROM message WHERE mailbox_id = ?", id));
        assertEquals("records with a Message-ID", expected.withMessageId,
                count("SELECT COUNT(DISTINCT message_id_hdr) FROM message WHERE mailbox_id = ?", id));
        assertEquals("records without a Message-ID", expected.withoutMessageId,
                count("SELECT COUNT(*) FROM message WHERE mailbox_id = ? AND message_id_hdr IS NULL", id));
        assertEquals("duplicate records", 0, count("SELECT COUNT(*) FROM (SELECT message_key FROM message WHERE mailbox_id = ?"
                + " GROUP BY message_key HAVING COUNT(*) > 1) d", id));
        assertEquals("locations", expected.locations, count("SELECT COUNT(*) FROM message_location l JOIN folder_state f"
                + " ON f.id = l.folder_id WHERE f.mailbox_id = ?", id));
        assertEquals("records without a body", 0, count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM message_body b WHERE b.message_id = m.id)", id));
        assertEquals("records without a location", 0, count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = ? AND NOT EXISTS"
                + " (SELECT 1 FROM message_location l WHERE l.message_id = m.id)", id));
        assertEquals("quarantined", 0, count("SELECT COUNT(*) FROM quarantine WHERE mailbox_id = ?", id));
        assertEquals("the sync changed nothing on the server", server, serverMessages(user));

        // ---------------------------------------------------------------- what the history and the lease say
        List<Run> history = runs(id);
        assertEquals(history.toString(), 2, history.size());
        Run died = history.get(0);
        Run continued = history.get(1);
        assertEquals(victim.name, died.node);
        assertEquals(survivor.name, continued.node);
        assertEquals("SUCCEEDED", continued.outcome);
        assertTrue("the dead node's run is reported as interrupted: " + died, "INTERRUPTED".equals(died.outcome)
                && died.finishedAt != null && died.error != null && died.error.contains(victim.name));
        assertFalse("the runs overlap: " + history, died.finishedAt.isAfter(continued.startedAt));
        assertFalse(survivor.name + " claimed before " + victim.name + "'s lease expired (" + atKill.leaseExpires + "): "
                + continued, continued.startedAt.isBefore(atKill.leaseExpires));
        assertEquals("every record stored by exactly one of the runs", expected.records, died.stored + continued.stored);
        Schedule after = schedule(id);
        assertNull("lease released", after.leaseOwner);
        assertNull("lease released", after.leaseExpires);
        assertEquals("one claim after the kill", 2, after.epoch);
        assertEquals("SUCCEEDED", after.lastOutcome);
        assertEquals(Set.of("node-a", "node-b"), nodes());

        JsonNode status = survivorRest.get("alice", "alice", "/mailboxes/" + id + "/sync").json();
        assertEquals(status.toString(), "idle", status.path("state").asText());
        assertEquals(status.toString(), expected.records, status.path("messagesDownloaded").asLong());
        JsonNode runs = survivorRest.get("alice", "alice", "/mailboxes/" + id + "/sync/runs").json().path("runs");
        assertEquals(runs.toString(), "interrupted", runs.get(1).path("outcome").asText());
        for (KarafNode node : List.of(nodeA, nodeB)) {
            assertFalse(node.name + " lost a lease it should have kept", node.log().contains("lost its lease"));
        }
    }

    @After
    public void tearDown() throws IOException {
        for (KarafNode node : new KarafNode[] {nodeA, nodeB}) {
            if (node != null) {
                try {
                    node.kill();
                } catch (RuntimeException e) {
                    System.err.println("Cannot stop " + node + ": " + e);
                }
            }
        }
        if (failed) {
            for (KarafNode node : new KarafNode[] {nodeA, nodeB}) {
                if (node != null) {
                    System.err.println(node.logTail(150));
                }
            }
            List<String> last = transcript.subList(Math.max(0, transcript.size() - 60), transcript.size());
            System.err.println("----- REST transcript (last requests)\n" + String.join("\n", last));
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (dovecot != null) {
            dovecot.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (root != null && !Boolean.getBoolean("postroom.cluster.keep")) {
            KarafNode.deleteRecursively(root);
        } else if (root != null) {
            System.err.println("Kept the cluster's nodes in " + root);
        }
    }

    // ------------------------------------------------------------------ nodes

    /**
     * Unpacks a node and configures it before its first start: the shared PostgreSQL, its node id,
     * a short lease and quick polling, small batches, the shared key, an outbound policy that allows
     * the proxy and GreenMail on loopback without TLS, the demo mail server on ports of its own.
     */
    private KarafNode node(String name, Path assembly, Path key, int[] ports) {
        KarafNode node = KarafNode.unpack(name, assembly, root.resolve(name), ports);
        Map<String, String> datasource = new LinkedHashMap<>();
        datasource.put("osgi.jdbc.driver.class", "org.postgresql.Driver");
        datasource.put("url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE + "?reWriteBatchedInserts=true");
        datasource.put("user", "postgres");
        datasource.put("password", "postgres");
        datasource.put("dataSourceName", "postroom");
        datasource.put("pool", "hikari");
        datasource.put("xa", "false");
        datasource.put("hikari.maximumPoolSize", "10");
        datasource.put("hikari.connectionTimeout", "10000");
        node.write("etc/org.ops4j.datasource-postroom.cfg", datasource);
        node.write("etc/io.postroom.sync.cfg", Map.of("nodeId", name, "pollSeconds", "1", "leaseSeconds",
                String.valueOf(LEASE_SECONDS), "workers", "2", "batchMessages", String.valueOf(BATCH_MESSAGES)));
        node.write("etc/io.postroom.protocol.cfg", Map.of("allowedHosts", "127.0.0.1", "plaintextHosts", "127.0.0.1",
                "allowedPorts", proxy.port() + ", " + smtp.getSmtp().getPort()));
        node.set(Containers.DEMO_CFG, "imapPort", String.valueOf(ports[4]));
        node.set(Containers.DEMO_CFG, "smtpPort", String.valueOf(ports[5]));
        node.set(Containers.DEMO_CFG, "seed", "false");
        // each run's summary (stored, IMAP commands, where the time went); not the whole bundle: SCR logs under its name too
        node.set("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.postroomsync.name", "io.postroom.sync.internal.MailboxRun");
        node.set("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.postroomsync.level", "DEBUG");
        node.copy(key, "etc/postroom-secret.key");
        return node;
    }

    /** Waits until the node's REST API answers alice and its sync engine runs under the configured node id. */
    private Rest waitUntilUp(KarafNode node) throws InterruptedException {
        Rest rest = new Rest(node.httpPort, transcript);
        waitFor(node.name + " to start (REST on port " + node.httpPort + ", its sync engine)", BOOT_TIMEOUT, () -> {
            if (!node.isAlive()) {
                fail(node.name + " exited during its start");
            }
            if (!node.log().contains("Sync engine started on node " + node.name + " ")) {
                return null;
            }
            try {
                return rest.get("alice", "alice", "/mailboxes").status() == 200 ? Boolean.TRUE : null;
            } catch (AssertionError notListening) {
                return null;
            }
        });
        return rest;
    }

    /** The code of the verification message the mailbox sent itself through GreenMail. */
    private String verificationCode() throws Exception {
        assertTrue("no verification message arrived", smtp.waitForIncomingEmail(30_000, 1));
        MimeMessage[] received = smtp.getReceivedMessages();
        Matcher m = CODE.matcher(GreenMailUtil.getBody(received[received.length - 1]));
        assertTrue("no code in the verification message", m.find());
        return m.group(1);
    }

    // ------------------------------------------------------------------ the server's side

    private Map<String, List<StoredMessage>> serverMessages(DovecotUser user) {
        Map<String, List<StoredMessage>> messages = new LinkedHashMap<>();
        for (String folder : FOLDERS) {
            // UID, Message-ID and flags; MODSEQ is the server's business
            messages.put(folder, dovecot.messages(user.name(), folder).stream()
                    .map(m -> new StoredMessage(m.uid(), m.messageId(), m.flags(), 0)).toList());
        }
        return messages;
    }

    private static TreeMap<Long, String> messageIds(List<StoredMessage> messages) {
        TreeMap<Long, String> ids = new TreeMap<>();
        messages.forEach(m -> ids.put(m.uid(), m.messageId()));
        return ids;
    }

    private static TreeMap<Long, Set<String>> flags(List<StoredMessage> messages) {
        TreeMap<Long, Set<String>> flags = new TreeMap<>();
        messages.forEach(m -> flags.put(m.uid(), new TreeSet<>(m.flags())));
        return flags;
    }

    /** What the server holds: records (distinct messages) and locations. */
    private record Expected(long records, long withMessageId, long withoutMessageId, long locations) {
        static Expected of(Map<String, List<StoredMessage>> server) {
            Set<String> ids = new HashSet<>();
            long without = 0;
            long locations = 0;
            for (List<StoredMessage> folder : server.values()) {
                for (StoredMessage m : folder) {
                    locations++;
                    if (m.messageId() == null) {
                        without++; // the Archive copies all have one: no message without one is in two folders
                    } else {
                        ids.add(m.messageId());
                    }
                }
            }
            return new Expected(ids.size() + without, ids.size(), without, locations);
        }
    }

    // ------------------------------------------------------------------ the database's side

    private record Schedule(String leaseOwner, OffsetDateTime leaseExpires, long epoch, String lastOutcome) {
    }

    private record Run(long id, String node, OffsetDateTime startedAt, OffsetDateTime finishedAt, String outcome,
                       long stored, String error) {
    }

    private Schedule schedule(long mailbox) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            // FOR UPDATE: waits for a transaction the dead node may still have open until the server ends it
            try (PreparedStatement ps = c.prepareStatement("SELECT lease_owner, lease_expires, lease_epoch, last_outcome"
                    + " FROM sync_schedule WHERE mailbox_id = ? FOR UPDATE")) {
                ps.setLong(1, mailbox);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue("no schedule for mailbox " + mailbox, rs.next());
                    Schedule s = new Schedule(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3),
                            rs.getString(4));
                    c.commit();
                    return s;
                }
            }
        }
    }

    private List<Run> runs(long mailbox) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, node, started_at,"
                + " finished_at, outcome, messages_stored, error FROM sync_run WHERE mailbox_id = ? ORDER BY id")) {
            ps.setLong(1, mailbox);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getLong(6), rs.getString(7)));
                }
            }
        }
        return runs;
    }

    private Set<String> nodes() throws SQLException {
        Set<String> nodes = new TreeSet<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT node_id FROM postroom_node")) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        return nodes;
    }

    private TreeMap<Long, String> storedMessageIds(long mailbox, String folder) throws SQLException {
        TreeMap<Long, String> ids = new TreeMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT l.uid, m.message_id_hdr"
                + " FROM message_location l JOIN folder_state f ON f.id = l.folder_id JOIN message m ON m.id = l.message_id"
                + " WHERE f.mailbox_id = ? AND f.name = ?")) {
            ps.setLong(1, mailbox);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(2);
                    ids.put(rs.getLong(1), id == null ? null : "<" + id + ">");
                }
            }
        }
        return ids;
    }

    private TreeMap<Long, Set<String>> storedFlags(long mailbox, String folder) throws SQLException {
        TreeMap<Long, Set<String>> flags = new TreeMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT l.uid, l.flags"
                + " FROM message_location l JOIN folder_state f ON f.id = l.folder_id WHERE f.mailbox_id = ? AND f.name = ?")) {
            ps.setLong(1, mailbox);
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Set<String> set = new TreeSet<>();
                    for (String flag : rs.getString(2).split(" ")) {
                        if (!flag.isEmpty()) {
                            set.add(flag);
                        }
                    }
                    flags.put(rs.getLong(1), set);
                }
            }
        }
        return flags;
    }

    private long count(String sql, long mailbox) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, mailbox);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------ waiting

    private static void say(String line) {
        System.out.println("[ClusterIT] " + line);
    }

    /** Asks {@code probe} every 200 ms until it answers (non-null); fails after {@code timeout}. */
    private static <T> T waitFor(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail("Waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String required(String property) {
        return Objects.requireNonNull(System.getProperty(property),
                "System property " + property + " is not set (failsafe sets it; see itests/karaf/pom.xml).");
    }
}
