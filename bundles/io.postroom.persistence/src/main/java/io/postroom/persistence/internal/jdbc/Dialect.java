package io.postroom.persistence.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The few SQL fragments that differ between H2 and PostgreSQL. Every lease comparison uses the
 * database's clock: {@code clock_timestamp()} on PostgreSQL (CURRENT_TIMESTAMP there is the
 * start of the transaction), CURRENT_TIMESTAMP on H2.
 */
public enum Dialect {
    H2("CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)",
            "SELECT NEXT VALUE FOR %s FROM SYSTEM_RANGE(1, ?)"),
    POSTGRESQL("clock_timestamp()", "(clock_timestamp() + CAST(? AS BIGINT) * INTERVAL '1 millisecond')",
            "SELECT nextval('%s') FROM generate_series(1, ?)");

    private final String now;
    private final String nowPlusMillis;
    private final String nextIds;

    Dialect(String now, String nowPlusMillis, String nextIds) {
        this.now = now;
        this.nowPlusMillis = nowPlusMillis;
        this.nextIds = nextIds;
    }

    /** The database's current time. */
    public String now() {
        return now;
    }

    /** The database's current time plus a number of milliseconds given as one parameter. */
    public String nowPlusMillis() {
        return nowPlusMillis;
    }

    /** A query returning as many new values of the sequence as its one parameter says. */
    public String nextIds(String sequence) {
        return String.format(Locale.ROOT, nextIds, sequence);
    }

    public static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw Jdbc.translate("Cannot reach the database", e);
        }
    }

    static Dialect of(String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("Postroom runs on H2 or PostgreSQL, not on " + product);
    }
}
