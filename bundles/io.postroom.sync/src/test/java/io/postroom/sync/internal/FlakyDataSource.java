package io.postroom.sync.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose commits fail on demand, as when the database goes away in the middle of a
 * transaction: the failing commit rolls the transaction back and throws a transient connection
 * error (SQLSTATE 08006).
 */
final class FlakyDataSource implements DataSource {
    private final DataSource delegate;
    private final AtomicInteger failingCommits = new AtomicInteger();
    final AtomicInteger failedCommits = new AtomicInteger();

    FlakyDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The next {@code n} commits fail. */
    void failCommits(int n) {
        failingCommits.set(n);
    }

    void heal() {
        failingCommits.set(0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit") && failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        c.rollback();
                        failedCommits.incrementAndGet();
                        throw new SQLTransientConnectionException("the database went away (test)", "08006");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
