package io.postroom.persistence.internal.jdbc;

import static io.postroom.persistence.internal.jdbc.Jdbc.cut;

import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.persistence.Lease;
import io.postroom.persistence.Schema;
import io.postroom.persistence.SyncRunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link SyncRunStore} on plain JDBC. */
@Component(service = SyncRunStore.class)
public final class JdbcSyncRunStore implements SyncRunStore {
    private final Jdbc jdbc;
    private final Fence fence;

    @Activate
    public JdbcSyncRunStore(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource,
                            @Reference Schema schema) {
        this(new Jdbc(dataSource));
    }

    public JdbcSyncRunStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.fence = new Fence(jdbc.dialect());
    }

    @Override
    public long start(Lease lease, SyncTrigger trigger) {
        return jdbc.tx(c -> {
            fence.check(c, lease);
            endAbandonedRuns(c, lease);
            long id = jdbc.nextIds(c, "sync_run_seq", 1)[0];
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_run (id, mailbox_id, run_trigger, node, started_at,"
                    + " messages_stored, flag_changes, expunged, quarantined) VALUES (?, ?, ?, ?, " + jdbc.dialect().now()
                    + ", 0, 0, 0, 0)")) {
                ps.setLong(1, id);
                ps.setLong(2, lease.mailboxId());
                ps.setString(3, trigger.name());
                ps.setString(4, cut(lease.owner(), 128));
                ps.executeUpdate();
            }
            JdbcScheduleStore.markStarted(c, jdbc.dialect(), lease.mailboxId(), id, lease.owner());
            return id;
        });
    }

    /**
     * Ends the mailbox's runs that never recorded their end: under a new lease, an open run belongs
     * to a node that died or lost the lease (or could not reach the database at its end). Nothing
     * else would ever end it, and the history would show it running for good.
     */
    private void endAbandonedRuns(Connection c, Lease lease) throws SQLException {
        Map<Long, String> open = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, node FROM sync_run WHERE mailbox_id = ?"
                + " AND finished_at IS NULL ORDER BY id")) {
            ps.setLong(1, lease.mailboxId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        if (open.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET finished_at = " + jdbc.dialect().now()
                + ", outcome = ?, error = ? WHERE id = ? AND finished_at IS NULL")) {
            for (Map.Entry<Long, String> run : open.entrySet()) {
                ps.setString(1, SyncOutcome.INTERRUPTED.name());
                ps.setString(2, cut("The run never recorded its end: its node (" + run.getValue() + ") stopped or lost"
                        + " contact with the database before it finished, and its lease expired. The next run (on node "
                        + lease.owner() + ") continued where it stopped.", 2000));
                ps.setLong(3, run.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void finish(long runId, SyncOutcome outcome, String error, int keep) {
        jdbc.tx(c -> {
            long mailboxId;
            try (PreparedStatement ps = c.prepareStatement("SELECT mailbox_id FROM sync_run WHERE id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    mailboxId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET finished_at = " + jdbc.dialect().now()
                    + ", outcome = ?, error = ? WHERE id = ?")) {
                ps.setString(1, outcome.name());
                ps.setString(2, cut(error, 2000));
                ps.setLong(3, runId);
                ps.executeUpdate();
            }
            List<Long> old = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sync_run WHERE mailbox_id = ? ORDER BY id DESC")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        if (++n > Math.max(1, keep)) {
                            old.add(rs.getLong(1));
                        }
                    }
                }
            }
            for (List<Long> chunk : Jdbc.chunks(old)) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_run WHERE id IN (" + Jdbc.marks(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i));
                    }
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<SyncRun> history(long mailboxId, int limit) {
        return jdbc.tx(c -> {
            List<SyncRun> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, run_trigger, started_at, finished_at, outcome,"
                    + " messages_stored, flag_changes, expunged, quarantined, error, node FROM sync_run WHERE mailbox_id = ?"
                    + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
                ps.setLong(1, mailboxId);
                ps.setInt(2, Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String outcome = rs.getString(5);
                        runs.add(new SyncRun(rs.getLong(1), SyncTrigger.valueOf(rs.getString(2)), Jdbc.toInstant(rs.getObject(3)),
                                Jdbc.toInstant(rs.getObject(4)), outcome == null ? null : SyncOutcome.valueOf(outcome),
                                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getString(10), rs.getString(11)));
                    }
                }
            }
            return runs;
        });
    }
}
