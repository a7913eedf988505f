package io.postroom.persistence.internal.jdbc;

import io.postroom.persistence.StoreException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's statistics of the message tables up to date while this node stores many
 * messages, so the sync's lookups stay index lookups.
 *
 * <p>PostgreSQL plans a prepared statement once, after its first executions, and keeps that plan
 * until the statistics of its tables change. A plan made while the tables were nearly empty (a new
 * database, a mailbox's first sync) expects a mailbox to have one row: the thread lookup then
 * compares each key of a batch with every reference of the mailbox (measured: 19 ms a batch at
 * 10,000 messages, growing with the mailbox, against 1 ms with the index), until autovacuum
 * analyses the tables, a minute or more later. So the store runs {@code ANALYZE} itself each time
 * the messages it has stored since the node started doubled: at 1,000, 2,000, 4,000, ... A few
 * times in a node's life, each reading a sample of at most 30,000 rows per table; autovacuum does
 * the rest. H2 analyses its tables itself as they change.
 *
 * <p>The statistics are an optimisation: an {@code ANALYZE} that fails is logged and the messages
 * stay stored.
 */
final class PlannerStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
    static final long FIRST = 1_000;
    static final String ANALYZE = "ANALYZE message, message_location, message_address, message_ref";

    private final Jdbc jdbc;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong next = new AtomicLong(FIRST);

    PlannerStatistics(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Called after a batch committed with {@code count} new messages. */
    void stored(int count) {
        if (count == 0 || jdbc.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        long total = stored.addAndGet(count);
        long at = next.get();
        if (total < at || !next.compareAndSet(at, 2 * total)) {
            return; // not yet, or another writer analyses now
        }
        try {
            jdbc.autoCommit(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(ANALYZE);
                }
                return null;
            });
            LOG.debug("Statistics of the message tables refreshed after {} messages stored", total);
        } catch (StoreException e) {
            LOG.warn("Refreshing the statistics of the message tables after {} messages stored failed ({}); the messages"
                    + " are stored, and PostgreSQL's autovacuum refreshes them later", total, e.getMessage());
        }
    }
}
