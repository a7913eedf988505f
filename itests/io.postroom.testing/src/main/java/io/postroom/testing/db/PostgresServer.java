package io.postroom.testing.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server to create databases on: the JDBC URL of each of its databases, ending in
 * {@code ?} or {@code &} so that an option can follow, and the login. The embedded server of a test
 * JVM ({@link #embedded}), or a server named {@code //host:port} or {@code //user:password@host:port}
 * ({@link #named}; user {@code postgres} without a password unless given), e.g. a distribution's
 * build with lz4, which the embedded one lacks.
 */
public final class PostgresServer {
    private static final Pattern NAME = Pattern.compile("//(?:([^:@/]+)(?::([^@/]*))?@)?([^/?]+)/?");

    private final UnaryOperator<String> urls;
    private final String user;
    private final String password;

    private PostgresServer(UnaryOperator<String> urls, String user, String password) {
        this.urls = urls;
        this.user = user;
        this.password = password;
    }

    public static PostgresServer embedded(EmbeddedPostgres server) {
        return new PostgresServer(db -> server.getJdbcUrl("postgres", db) + "&", "postgres", "postgres");
    }

    /**
     * @param setting what named the server (a system property, an option), for the error message
     * @throws IllegalArgumentException when {@code name} is not {@code //host:port} or {@code //user:password@host:port}
     */
    public static PostgresServer named(String setting, String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(setting + " must look like //host:port or //user:password@host:port, not "
                    + name);
        }
        String host = m.group(3);
        return new PostgresServer(db -> "jdbc:postgresql://" + host + "/" + db + "?",
                m.group(1) == null ? "postgres" : m.group(1), m.group(2) == null ? "" : m.group(2));
    }

    /** The URL of {@code database}, ending in {@code ?} or {@code &}. */
    public String url(String database) {
        return urls.apply(database);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), user, password);
    }
}
