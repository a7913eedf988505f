package io.postroom.persistence.internal.jdbc;

import io.postroom.persistence.DataRejectedException;
import io.postroom.persistence.StoreException;
import io.postroom.persistence.TransientStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain JDBC for the hot path: one transaction per call on a pooled connection, commit on
 * success, rollback on any exception, {@link SQLException}s turned into the store's exceptions
 * (transient ones apart, so callers know what to retry).
 */
public final class Jdbc {
    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    /** Parameters per IN list: well below every driver's limit, small enough for plan caches. */
    public static final int IN_CHUNK = 500;

    private final DataSource dataSource;
    private final Dialect dialect;

    public Jdbc(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Dialect.of(dataSource);
    }

    public Dialect dialect() {
        return dialect;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction. */
    public <T> T tx(Work<T> work) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw translate("Cannot reach the database", e);
        }
        try {
            boolean auto = c.getAutoCommit();
            if (auto) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c);
                throw e;
            } finally {
                if (auto) {
                    try {
                        c.setAutoCommit(true);
                    } catch (SQLException e) {
                        LOG.debug("Cannot restore auto-commit: {}", e.toString());
                    }
                }
            }
        } catch (SQLException e) {
            throw translate("The database failed", e);
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing a connection failed: {}", e.toString());
            }
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode (each statement its own transaction). */
    public <T> T autoCommit(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.run(c);
        } catch (SQLException e) {
            throw translate("The database failed", e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.toString());
        }
    }

    /** New values of a sequence, one round trip. */
    public long[] nextIds(Connection c, String sequence, int count) throws SQLException {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement(dialect.nextIds(sequence))) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next() && i < count) {
                    ids[i++] = rs.getLong(1);
                }
                if (i != count) {
                    throw new SQLException("Sequence " + sequence + " gave " + i + " values, not " + count);
                }
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------ errors

    /** SQLSTATE of a unique constraint violation on H2 and PostgreSQL. */
    public static final String UNIQUE_VIOLATION = "23505";

    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
            if (s.getCause() instanceof SQLException cause && UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The store exception for a failed statement: transient, rejected data, or other. */
    public static StoreException translate(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String text = what + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (isTransient(e, state)) {
            return new TransientStoreException(text, e);
        }
        if (state.startsWith("22") || state.startsWith("23")) {
            return new DataRejectedException(text, e);
        }
        return new StoreException(text, e);
    }

    private static boolean isTransient(SQLException e, String state) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        // connection (08), transaction rollback: serialisation, deadlock (40), resources (53),
        // operator intervention: shutdown (57), H2's lock timeout (HYT00) and broken connection (90067)
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.equals("HYT00") || state.equals("90067") || state.equals(UNIQUE_VIOLATION);
    }

    // ------------------------------------------------------------------ values

    public static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return toInstant(value);
    }

    public static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalStateException("Not a time: " + value.getClass().getName());
    }

    public static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    public static Long getLongOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** At most {@code max} characters, without NUL (PostgreSQL refuses it in text); null stays null. */
    public static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String s = value.indexOf('\0') >= 0 ? value.replace("\0", "") : value;
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A collection in chunks of {@link #IN_CHUNK}. */
    public static <T> List<List<T>> chunks(Collection<T> values) {
        List<List<T>> result = new ArrayList<>();
        List<T> current = new ArrayList<>();
        for (T v : values) {
            current.add(v);
            if (current.size() == IN_CHUNK) {
                result.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            result.add(current);
        }
        return result;
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} values. */
    public static String marks(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }
}
