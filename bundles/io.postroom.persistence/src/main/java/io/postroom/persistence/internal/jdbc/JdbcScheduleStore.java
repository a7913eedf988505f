package io.postroom.persistence.internal.jdbc;

import static io.postroom.persistence.internal.jdbc.Jdbc.chunks;
import static io.postroom.persistence.internal.jdbc.Jdbc.cut;
import static io.postroom.persistence.internal.jdbc.Jdbc.marks;

import io.postroom.api.TenantId;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.persistence.Claim;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.Lease;
import io.postroom.persistence.RunEnd;
import io.postroom.persistence.ScheduleRecord;
import io.postroom.persistence.ScheduleStore;
import io.postroom.persistence.ScheduleTarget;
import io.postroom.persistence.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link ScheduleStore} on plain JDBC; every lease comparison on the database's clock. */
@Component(service = ScheduleStore.class)
public final class JdbcScheduleStore implements ScheduleStore {
    private static final String FREE = "(s.lease_expires IS NULL OR s.lease_expires < %1$s)";

    private final Jdbc jdbc;
    private final Fence fence;
    private final String now;
    private final String nowPlus;

    @Activate
    public JdbcScheduleStore(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource,
                             @Reference Schema schema) {
        this(new Jdbc(dataSource));
    }

    public JdbcScheduleStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.fence = new Fence(jdbc.dialect());
        this.now = jdbc.dialect().now();
        this.nowPlus = jdbc.dialect().nowPlusMillis();
    }

    private String free() {
        return String.format(FREE, now);
    }

    @Override
    public void ensureScheduled(Collection<ScheduleTarget> targets) {
        if (targets.isEmpty()) {
            return;
        }
        Map<Long, Long> intervals = jdbc.tx(c -> {
            Map<Long, Long> found = new HashMap<>();
            for (List<ScheduleTarget> chunk : chunks(targets)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT mailbox_id, interval_seconds FROM sync_schedule"
                        + " WHERE mailbox_id IN (" + marks(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i).mailboxId());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET interval_seconds = ? WHERE mailbox_id = ?")) {
                boolean any = false;
                for (ScheduleTarget t : targets) {
                    Long current = found.get(t.mailboxId());
                    if (current != null && current != seconds(t.interval())) {
                        ps.setLong(1, seconds(t.interval()));
                        ps.setLong(2, t.mailboxId());
                        ps.addBatch();
                        any = true;
                    }
                }
                if (any) {
                    ps.executeBatch();
                }
            }
            return found;
        });
        for (ScheduleTarget t : targets) {
            if (!intervals.containsKey(t.mailboxId())) {
                insert(t.mailboxId(), t.tenant(), seconds(t.interval()), null);
            }
        }
    }

    private static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }

    /** Inserts a row due now, unless one exists (another node may insert it at the same moment). */
    private void insert(long mailboxId, TenantId tenant, long intervalSeconds, SyncTrigger trigger) {
        jdbc.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_schedule (mailbox_id, tenant_id, next_due,"
                    + " interval_seconds, pending_trigger, backfill_pending, lease_epoch, failures)"
                    + " SELECT m.id, ?, " + now + ", ?, ?, FALSE, 0, 0 FROM mailbox m WHERE m.id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM sync_schedule s WHERE s.mailbox_id = m.id)")) {
                ps.setString(1, tenant.value());
                ps.setLong(2, intervalSeconds);
                ps.setString(3, trigger == null ? null : trigger.name());
                ps.setLong(4, mailboxId);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public List<Claim> claim(String node, ClaimKind kind, int max, Duration ttl) {
        if (max <= 0) {
            return List.of();
        }
        String condition = kind == ClaimKind.REGULAR
                ? "s.next_due <= " + now + " AND " + free()
                : "s.backfill_pending = TRUE AND s.failures = 0 AND " + free();
        List<Long> candidates = jdbc.tx(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.mailbox_id FROM sync_schedule s"
                    + " JOIN mailbox m ON m.id = s.mailbox_id WHERE m.state = 'ACTIVE' AND " + condition
                    + " ORDER BY s.next_due, s.mailbox_id FETCH FIRST ? ROWS ONLY")) {
                ps.setInt(1, max * 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
        List<Claim> claims = new ArrayList<>();
        for (long id : candidates) {
            if (claims.size() >= max) {
                break;
            }
            tryClaim(node, id, kind, condition, ttl).ifPresent(claims::add);
        }
        return claims;
    }

    @Override
    public Optional<Claim> claimMailbox(String node, long mailboxId, ClaimKind kind, Duration ttl) {
        return tryClaim(node, mailboxId, kind, free(), ttl);
    }

    private Optional<Claim> tryClaim(String node, long id, ClaimKind kind, String condition, Duration ttl) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule s SET lease_owner = ?, lease_kind = ?,"
                    + " lease_expires = " + nowPlus + ", lease_epoch = lease_epoch + 1"
                    + " WHERE s.mailbox_id = ? AND " + condition
                    + " AND EXISTS (SELECT 1 FROM mailbox m WHERE m.id = s.mailbox_id AND m.state = 'ACTIVE')")) {
                ps.setString(1, node);
                ps.setString(2, kind.name());
                ps.setLong(3, ttl.toMillis());
                ps.setLong(4, id);
                if (ps.executeUpdate() != 1) {
                    return Optional.<Claim>empty(); // another node was faster
                }
            }
            Claim claim;
            try (PreparedStatement ps = c.prepareStatement("SELECT lease_epoch, pending_trigger, failures, interval_seconds"
                    + " FROM sync_schedule WHERE mailbox_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    SyncTrigger trigger = kind == ClaimKind.BACKFILL ? SyncTrigger.BACKFILL
                            : rs.getString(2) == null ? SyncTrigger.SCHEDULED : SyncTrigger.valueOf(rs.getString(2));
                    claim = new Claim(new Lease(id, node, rs.getLong(1), ttl), kind, trigger, rs.getInt(3),
                            Duration.ofSeconds(rs.getLong(4)));
                }
            }
            if (kind == ClaimKind.REGULAR) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET pending_trigger = NULL"
                        + " WHERE mailbox_id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
            return Optional.of(claim);
        });
    }

    @Override
    public boolean heartbeat(Lease lease) {
        return jdbc.tx(c -> fence.extend(c, lease));
    }

    @Override
    public boolean release(Lease lease, RunEnd end) {
        return jdbc.tx(c -> {
            StringBuilder sql = new StringBuilder("UPDATE sync_schedule SET lease_owner = NULL, lease_kind = NULL,"
                    + " lease_expires = NULL, failures = ?, last_finished_at = " + now + ", last_outcome = ?, last_error = ?,"
                    + " backfill_pending = ?, run_id = NULL, progress_folders_done = NULL, progress_folders_total = NULL,"
                    + " progress_folder = NULL, progress_done = NULL, progress_estimated = NULL, progress_started_at = NULL,"
                    + " progress_node = NULL, progress_at = NULL");
            if (end.nextRunIn() != null) {
                // a run asked for while this one ran (the claim consumed the one before) is not pushed back
                sql.append(", next_due = CASE WHEN pending_trigger IS NOT NULL THEN ").append(now).append(" ELSE ")
                        .append(nowPlus).append(" END");
            }
            sql.append(" WHERE mailbox_id = ? AND lease_owner = ? AND lease_epoch = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setInt(i++, Math.max(0, end.failures()));
                ps.setString(i++, end.outcome().name());
                ps.setString(i++, cut(end.error(), 2000));
                ps.setBoolean(i++, end.backfillPending());
                if (end.nextRunIn() != null) {
                    ps.setLong(i++, Math.max(0, end.nextRunIn().toMillis()));
                }
                ps.setLong(i++, lease.mailboxId());
                ps.setString(i++, lease.owner());
                ps.setLong(i, lease.epoch());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean saveProgress(Lease lease, SyncProgress p) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET progress_folders_done = ?,"
                    + " progress_folders_total = ?, progress_folder = ?, progress_done = ?, progress_estimated = ?,"
                    + " progress_started_at = ?, progress_node = ?, progress_at = " + now + ", lease_expires = " + nowPlus
                    + " WHERE mailbox_id = ? AND lease_owner = ? AND lease_epoch = ?")) {
                ps.setInt(1, p.foldersDone());
                ps.setInt(2, p.foldersTotal());
                ps.setString(3, cut(p.currentFolder(), 1000));
                ps.setLong(4, p.messagesDone());
                ps.setLong(5, p.messagesEstimated());
                Jdbc.setInstant(ps, 6, p.startedAt());
                ps.setString(7, cut(p.node(), 128));
                ps.setLong(8, lease.ttl().toMillis());
                ps.setLong(9, lease.mailboxId());
                ps.setString(10, lease.owner());
                ps.setLong(11, lease.epoch());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void requestRun(long mailboxId, TenantId tenant, SyncTrigger trigger) {
        int updated = jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET next_due = " + now
                    + ", pending_trigger = ? WHERE mailbox_id = ?")) {
                ps.setString(1, trigger.name());
                ps.setLong(2, mailboxId);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            insert(mailboxId, tenant, 3600, trigger);
        }
    }

    @Override
    public void setBackfillPending(long mailboxId, boolean pending) {
        jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET backfill_pending = ? WHERE mailbox_id = ?")) {
                ps.setBoolean(1, pending);
                ps.setLong(2, mailboxId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<ScheduleRecord> find(long mailboxId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.*, CASE WHEN s.lease_expires IS NOT NULL AND"
                    + " s.lease_owner IS NOT NULL AND s.lease_expires > " + now + " THEN TRUE ELSE FALSE END AS lease_held,"
                    + " CASE WHEN s.next_due <= " + now + " THEN TRUE ELSE FALSE END AS is_due"
                    + " FROM sync_schedule s WHERE s.mailbox_id = ?")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<ScheduleRecord>empty();
                    }
                    return Optional.of(record(rs));
                }
            }
        });
    }

    private static ScheduleRecord record(ResultSet rs) throws SQLException {
        SyncProgress progress = null;
        String progressNode = rs.getString("progress_node");
        if (progressNode != null && rs.getBoolean("lease_held")) {
            progress = new SyncProgress(rs.getInt("progress_folders_done"), rs.getInt("progress_folders_total"),
                    rs.getString("progress_folder"), rs.getLong("progress_done"), rs.getLong("progress_estimated"),
                    Jdbc.getInstant(rs, "progress_started_at"), progressNode);
        }
        String kind = rs.getString("lease_kind");
        String outcome = rs.getString("last_outcome");
        return new ScheduleRecord(rs.getLong("mailbox_id"), Jdbc.getInstant(rs, "next_due"), rs.getBoolean("is_due"),
                rs.getString("pending_trigger"), rs.getBoolean("backfill_pending"), rs.getBoolean("lease_held"),
                rs.getString("lease_owner"), kind == null ? null : ClaimKind.valueOf(kind),
                Jdbc.getInstant(rs, "lease_expires"), rs.getLong("lease_epoch"), rs.getInt("failures"),
                Jdbc.getLongOrNull(rs, "run_id"), Jdbc.getInstant(rs, "last_started_at"),
                Jdbc.getInstant(rs, "last_finished_at"), outcome == null ? null : SyncOutcome.valueOf(outcome),
                rs.getString("last_error"), progress);
    }

    @Override
    public void nodeAlive(String node) {
        jdbc.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE postroom_node SET last_seen = " + now + " WHERE node_id = ?")) {
                ps.setString(1, node);
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO postroom_node (node_id, started_at, last_seen)"
                    + " VALUES (?, " + now + ", " + now + ")")) {
                ps.setString(1, cut(node, 64));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!Jdbc.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    /** For the run store: starts a run under the lease in the same transaction as the fence. */
    static void markStarted(Connection c, Dialect dialect, long mailboxId, long runId, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET run_id = ?, last_started_at = "
                + dialect.now() + ", progress_started_at = " + dialect.now() + ", progress_node = ?, progress_folders_done = 0,"
                + " progress_folders_total = 0, progress_done = 0, progress_estimated = 0 WHERE mailbox_id = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, cut(node, 128));
            ps.setLong(3, mailboxId);
            ps.executeUpdate();
        }
    }
}
