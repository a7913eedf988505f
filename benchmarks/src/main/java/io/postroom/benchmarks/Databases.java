package io.postroom.benchmarks;

import io.postroom.testing.db.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The databases a sync writes into: H2 files with the standalone assembly's URL options
 * ({@code features/src/main/cfg/org.ops4j.datasource-postroom.cfg}), and PostgreSQL databases on
 * one embedded server started with its durable defaults (fsync and synchronous commit on; the
 * test fixtures turn them off, a production server does not), or on a server of this machine
 * given with {@code --postgres=//host:port} (as user {@code postgres}, or {@code //user:password@host:port}),
 * e.g. a distribution's build with lz4, which the embedded one lacks.
 */
final class Databases implements AutoCloseable {
    /** A database: its JDBC URL and login, and for H2 its directory. */
    record Target(String kind, String name, String url, String user, String password, Path dir) {
    }

    private final Path work;
    private final String external;
    private EmbeddedPostgres postgres;

    /** @param external a PostgreSQL server to use instead of the embedded one ({@code //host:port}), or blank */
    Databases(Path work, String external) {
        this.work = work;
        this.external = external == null ? "" : external.strip();
    }

    Target h2(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve("h2").resolve(name));
        // extra options (experiments only: the figures use the standalone's URL) from -Dbench.h2Options=;WRITE_DELAY=100
        String url = "jdbc:h2:" + dir.resolve("postroom").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000"
                + System.getProperty("bench.h2Options", "");
        return new Target("H2", name, url, "sa", "", dir);
    }

    Target postgres(String name) throws IOException, SQLException {
        PostgresServer server = server();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); // a server of this machine may keep an earlier run's
            s.execute("CREATE DATABASE " + name);
        }
        // the URL option README recommends; extra options (experiments only) from -Dbench.pgOptions=&prepareThreshold=1
        String url = server.url(name) + "reWriteBatchedInserts=true" + System.getProperty("bench.pgOptions", "");
        return new Target("PostgreSQL", name, url, server.user(), server.password(), null);
    }

    /**
     * The PostgreSQL server's postmaster (its backends are its children), or -1 before it runs or
     * when it is not a process of this machine: the parent of a backend.
     */
    long postgresPid() {
        if (postgres == null && external.isEmpty()) {
            return -1;
        }
        try (Connection c = server().connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String stat = Files.readString(Path.of("/proc", rs.getString(1), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** Bytes the database takes: the H2 file(s), or PostgreSQL's tables with their indexes and TOAST. */
    long bytes(Target t) throws IOException, SQLException {
        if (t.dir() != null) {
            try (Stream<Path> files = Files.walk(t.dir())) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
        try (Connection c = DriverManager.getConnection(t.url(), t.user(), t.password()); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The PostgreSQL server as the report names it, once it runs: its version, where it comes from,
     * its durability settings and how the message text is compressed (schema V4 takes lz4 where the
     * server offers it).
     */
    String describe() {
        if (postgres == null && external.isEmpty()) {
            return "";
        }
        try (Connection c = server().connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
                     + " current_setting('synchronous_commit'), EXISTS (SELECT 1 FROM pg_settings"
                     + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))")) {
            rs.next();
            return String.format("PostgreSQL %s (%s) with fsync %s and synchronous_commit %s, the message text compressed with %s",
                    rs.getString(1), external.isEmpty() ? "embedded" : "this machine's server at " + external,
                    rs.getString(2), rs.getString(3), rs.getBoolean(4) ? "lz4" : "pglz (the server has no lz4)");
        } catch (IOException | SQLException e) {
            return "PostgreSQL";
        }
    }

    /** The server the PostgreSQL databases are made on: the one given, or the embedded one, started on first use. */
    private synchronized PostgresServer server() throws IOException {
        if (!external.isEmpty()) {
            return PostgresServer.named("--postgres", external);
        }
        if (postgres == null) {
            Path data = Files.createDirectories(work.resolve("postgres"));
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
        }
        return PostgresServer.embedded(postgres);
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
