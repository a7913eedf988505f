package io.postroom.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.persistence.internal.jdbc.Jdbc;
import io.postroom.persistence.internal.jdbc.JdbcMessageStore;
import io.postroom.testing.db.DatabaseKind;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class PostgresSyncStoreTest extends SyncStoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    /**
     * The store analyses the message tables once it has stored 1,000 messages, long before
     * autovacuum would: plans made while the tables were empty would otherwise compare every key of
     * a batch with every row of the mailbox.
     */
    @Test
    void theMessageTablesAreAnalysedOnceManyMessagesWereStored() {
        writeThreads(messages, 1_000);

        for (String table : new String[] {"message", "message_location", "message_address", "message_ref"}) {
            assertThat(db.queryForLong("SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE relname = '" + table + "'"))
                    .as("rows %s has according to its statistics", table).isPositive();
        }
    }

    @Test
    void anAnalyseThatFailsLeavesTheMessagesStored() {
        MessageStore failingAnalyse = new JdbcMessageStore(new Jdbc(refusing(db.dataSource(), "ANALYZE")));

        writeThreads(failingAnalyse, 1_000);

        assertThat(count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox")).isEqualTo(1_000);
        assertThat(count("SELECT COUNT(*) FROM message_location l JOIN message m ON m.id = l.message_id"
                + " WHERE m.mailbox_id = :mailbox")).isEqualTo(1_000);
    }

    /** {@code count} messages in batches of 100, each replying to the one before it. */
    private void writeThreads(MessageStore store, int count) {
        Lease lease = claimLease("node-a");
        FolderRecord inbox = folder("INBOX");
        for (int b = 0; b < count / 100; b++) {
            MessageDraft[] drafts = new MessageDraft[100];
            for (int i = 0; i < 100; i++) {
                int n = b * 100 + i + 1;
                drafts[i] = n == 1 ? draft(n, "m1@x", "M1", T0) : draft(n, "m" + n + "@x", "M" + n, T0, "m" + (n - 1) + "@x");
            }
            store.write(batch(lease, 0, inbox, 7, drafts));
        }
    }

    /** {@code dataSource}, whose plain statements refuse the SQL starting with {@code prefix}. */
    private static DataSource refusing(DataSource dataSource, String prefix) {
        return proxy(DataSource.class, (method, args) -> {
            Object result = method.invoke(dataSource, args);
            return result instanceof Connection c ? proxy(Connection.class, (m, a) -> {
                Object r = m.invoke(c, a);
                return r instanceof Statement st && m.getName().equals("createStatement") ? proxy(Statement.class, (sm, sa) -> {
                    if (sa != null && sa.length > 0 && sa[0] instanceof String sql && sql.startsWith(prefix)) {
                        throw new SQLException("refused by the test: " + sql, "42501");
                    }
                    return sm.invoke(st, sa);
                }) : r;
            }) : result;
        });
    }

    private interface Call {
        Object on(java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.on(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(PostgresSyncStoreTest.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
