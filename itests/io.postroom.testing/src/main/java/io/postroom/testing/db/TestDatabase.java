package io.postroom.testing.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An empty database of its own for one test class, behind a small connection pool. Close it when
 * the class is done: the pool closes and the database is dropped.
 */
public final class TestDatabase implements AutoCloseable {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final DatabaseKind kind;
    private final String name;
    private final HikariDataSource pool;
    private final Runnable dropper;

    TestDatabase(DatabaseKind kind, String name, HikariDataSource pool, Runnable dropper) {
        this.kind = Objects.requireNonNull(kind);
        this.name = name;
        this.pool = pool;
        this.dropper = dropper;
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** The database's name (unique within the test JVM). */
    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    /** Pooled connections to this database (at most 10 at once). */
    public DataSource dataSource() {
        return pool;
    }

    /** Number of rows in a table: what tests use to show that nothing was saved. */
    public long count(String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a table name: " + table);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count " + table + " in " + name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, such as {@code SELECT COUNT(*) ... WHERE ...}. */
    public long queryForLong(String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from: " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot query " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs one SQL statement (setup, or breaking things on purpose). */
    public void execute(String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot execute on " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
        dropper.run();
    }

    @Override
    public String toString() {
        return kind + ":" + name;
    }
}
