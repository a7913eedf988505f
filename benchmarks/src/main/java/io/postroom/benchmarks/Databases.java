package io.postroom.benchmarks;

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
 * test fixtures turn them off, a production server does not).
 */
final class Databases implements AutoCloseable {
    /** A database: its JDBC URL and login, and for H2 its directory. */
    record Target(String kind, String name, String url, String user, String password, Path dir) {
    }

    private final Path work;
    private EmbeddedPostgres postgres;

    Databases(Path work) {
        this.work = work;
    }

    Target h2(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve("h2").resolve(name));
        // extra options (experiments only: the figures use the standalone's URL) from -Dbench.h2Options=;WRITE_DELAY=100
        String url = "jdbc:h2:" + dir.resolve("postroom").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000"
                + System.getProperty("bench.h2Options", "");
        return new Target("H2", name, url, "sa", "", dir);
    }

    Target postgres(String name) throws IOException, SQLException {
        EmbeddedPostgres server = server();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        // the URL option README recommends; extra options (experiments only) from -Dbench.pgOptions=&prepareThreshold=1
        String url = server.getJdbcUrl("postgres", name) + "&reWriteBatchedInserts=true" + System.getProperty("bench.pgOptions", "");
        return new Target("PostgreSQL", name, url, "postgres", "postgres", null);
    }

    /** The PostgreSQL server's postmaster (its backends are its children), or -1 before it runs. */
    long postgresPid() {
        return postgres == null ? -1 : ProcessCpu.find("postgres", work.resolve("postgres").toString());
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

    /** The PostgreSQL server's version, once it runs. */
    String version() {
        if (postgres == null) {
            return "";
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        } catch (SQLException e) {
            return "PostgreSQL";
        }
    }

    private synchronized EmbeddedPostgres server() throws IOException {
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
        return postgres;
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
