package io.postroom.persistence.internal.jdbc;

import static io.postroom.persistence.internal.jdbc.Jdbc.cut;

import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.persistence.FolderCheckpoint;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.FolderStore;
import io.postroom.persistence.Lease;
import io.postroom.persistence.LocationRecord;
import io.postroom.persistence.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link FolderStore} on plain JDBC. */
@Component(service = FolderStore.class)
public final class JdbcFolderStore implements FolderStore {
    private static final String STATE_COLUMNS = "f.id, f.mailbox_id, f.name, f.special_use, f.uid_validity, f.uid_next,"
            + " f.high_uid, f.low_uid, f.highest_modseq, f.messages_on_server, f.complete_since, f.last_synced_at, f.last_error";
    /**
     * The folder without the count of its stored messages: what the sync reads for every folder of
     * every run. Counting costs a pass over the folder's locations (tens of milliseconds at 100,000
     * messages), so only {@link #list} counts (status pages); here {@code messagesStored} is -1.
     */
    private static final String COLUMNS = STATE_COLUMNS + ", -1 AS stored";
    private static final String COLUMNS_COUNTED = STATE_COLUMNS
            + ", (SELECT COUNT(*) FROM message_location l WHERE l.folder_id = f.id) AS stored";

    private final Jdbc jdbc;
    private final Fence fence;

    @Activate
    public JdbcFolderStore(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource,
                           @Reference Schema schema) {
        this(new Jdbc(dataSource));
    }

    public JdbcFolderStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.fence = new Fence(jdbc.dialect());
    }

    @Override
    public FolderRecord open(long mailboxId, String name, String specialUse) {
        Objects.requireNonNull(name, "name");
        Optional<FolderRecord> found = byName(mailboxId, name);
        if (found.isPresent()) {
            FolderRecord f = found.get();
            if (!Objects.equals(f.specialUse(), specialUse)) {
                jdbc.tx(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE folder_state SET special_use = ? WHERE id = ?")) {
                        ps.setString(1, specialUse);
                        ps.setLong(2, f.id());
                        return ps.executeUpdate();
                    }
                });
                return byName(mailboxId, name).orElseThrow();
            }
            return f;
        }
        try {
            jdbc.tx(c -> {
                long id = jdbc.nextIds(c, "folder_state_seq", 1)[0];
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO folder_state (id, mailbox_id, name, special_use,"
                        + " messages_on_server) VALUES (?, ?, ?, ?, 0)")) {
                    ps.setLong(1, id);
                    ps.setLong(2, mailboxId);
                    ps.setString(3, cut(name, 1000));
                    ps.setString(4, specialUse);
                    return ps.executeUpdate();
                }
            });
        } catch (io.postroom.persistence.TransientStoreException e) {
            // another node created it at the same moment: use theirs
            if (byName(mailboxId, name).isEmpty()) {
                throw e;
            }
        }
        return byName(mailboxId, name).orElseThrow();
    }

    private Optional<FolderRecord> byName(long mailboxId, String name) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM folder_state f WHERE f.mailbox_id = ? AND f.name = ?")) {
                ps.setLong(1, mailboxId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.<FolderRecord>empty();
                }
            }
        });
    }

    @Override
    public Optional<FolderRecord> find(long folderId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM folder_state f WHERE f.id = ?")) {
                ps.setLong(1, folderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.<FolderRecord>empty();
                }
            }
        });
    }

    @Override
    public List<FolderRecord> list(long mailboxId) {
        return jdbc.tx(c -> {
            List<FolderRecord> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS_COUNTED
                    + " FROM folder_state f WHERE f.mailbox_id = ? ORDER BY f.name")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(record(rs));
                    }
                }
            }
            return result;
        });
    }

    static FolderRecord record(ResultSet rs) throws SQLException {
        return new FolderRecord(rs.getLong("id"), rs.getLong("mailbox_id"), rs.getString("name"),
                rs.getString("special_use"), Jdbc.getLongOrNull(rs, "uid_validity"), Jdbc.getLongOrNull(rs, "uid_next"),
                Jdbc.getLongOrNull(rs, "high_uid"), Jdbc.getLongOrNull(rs, "low_uid"),
                Jdbc.getLongOrNull(rs, "highest_modseq"), rs.getLong("messages_on_server"),
                Jdbc.getInstant(rs, "complete_since"), Jdbc.getInstant(rs, "last_synced_at"), rs.getString("last_error"),
                rs.getLong("stored"));
    }

    @Override
    public List<LocationRecord> locations(long folderId) {
        return locations(folderId, 0, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public List<LocationRecord> locations(long folderId, long afterUid, long throughUid, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return jdbc.tx(c -> {
            List<LocationRecord> result = new ArrayList<>(Math.min(limit, 1024));
            try (PreparedStatement ps = c.prepareStatement("SELECT uid, message_id, flags, modseq FROM message_location"
                    + " WHERE folder_id = ? AND uid > ? AND uid <= ? ORDER BY uid LIMIT ?")) {
                ps.setLong(1, folderId);
                ps.setLong(2, afterUid);
                ps.setLong(3, throughUid);
                ps.setInt(4, limit);
                readLocations(ps, result);
            }
            return result;
        });
    }

    @Override
    public long highestLocatedUid(long folderId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(uid) FROM message_location WHERE folder_id = ?")) {
                ps.setLong(1, folderId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L; // NULL (no location) reads as 0
                }
            }
        });
    }

    @Override
    public List<LocationRecord> locations(long folderId, java.util.Collection<Long> uids) {
        if (uids.isEmpty()) {
            return List.of();
        }
        return jdbc.tx(c -> {
            List<LocationRecord> result = new ArrayList<>();
            for (List<Long> chunk : Jdbc.chunks(new TreeSet<>(uids))) {
                try (PreparedStatement ps = c.prepareStatement("SELECT l.uid, l.message_id, l.flags, l.modseq FROM "
                        + KeyLookup.longs("k") + " JOIN message_location l ON l.folder_id = ? AND l.uid = k.v ORDER BY l.uid")) {
                    KeyLookup.setLongs(c, ps, 1, chunk);
                    ps.setLong(2, folderId);
                    readLocations(ps, result);
                }
            }
            return result;
        });
    }

    /** Runs a query of (uid, message_id, flags, modseq) and adds its rows to {@code into}. */
    private static void readLocations(PreparedStatement ps, List<LocationRecord> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new LocationRecord(rs.getLong(1), rs.getLong(2), JdbcMessageStore.flags(rs.getString(3)),
                        Jdbc.getLongOrNull(rs, "modseq")));
            }
        }
    }

    @Override
    public Set<Long> locatedUids(long folderId, long from, long to) {
        return jdbc.tx(c -> {
            Set<Long> result = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM message_location WHERE folder_id = ?"
                    + " AND uid BETWEEN ? AND ?")) {
                ps.setLong(1, folderId);
                ps.setLong(2, from);
                ps.setLong(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(rs.getLong(1));
                    }
                }
            }
            return result;
        });
    }

    @Override
    public void saveCheckpoint(Lease lease, long folderId, FolderCheckpoint checkpoint) {
        jdbc.tx(c -> {
            fence.check(c, lease);
            requireFolderOf(c, folderId, lease.mailboxId());
            JdbcMessageStore.writeCheckpoint(c, folderId, checkpoint);
            return null;
        });
    }

    private static void requireFolderOf(Connection c, long folderId, long mailboxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM folder_state WHERE id = ? AND mailbox_id = ?")) {
            ps.setLong(1, folderId);
            ps.setLong(2, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new io.postroom.persistence.StoreException(
                            "Folder " + folderId + " is not a folder of mailbox " + mailboxId + ".");
                }
            }
        }
    }

    @Override
    public boolean applyKeep(Lease lease, KeepPolicy keep) {
        return jdbc.tx(c -> {
            fence.check(c, lease);
            KeepPolicy before = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT kept FROM sync_schedule WHERE mailbox_id = ?")) {
                ps.setLong(1, lease.mailboxId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        before = KeepPolicy.valueOf(rs.getString(1));
                    }
                }
            }
            if (before == keep) {
                return false;
            }
            boolean widened = before != null
                    && (keep.keepsSent() && !before.keepsSent() || keep.keepsReceived() && !before.keepsReceived());
            if (widened) {
                // a backfill pass over the whole period, from the top: what is stored is skipped, what the old
                // setting left out is downloaded at low priority; the high UID and HIGHESTMODSEQ stay, so new
                // mail, flag changes and expunges go on as before
                try (PreparedStatement ps = c.prepareStatement("UPDATE folder_state SET low_uid = NULL,"
                        + " complete_since = CURRENT_TIMESTAMP WHERE mailbox_id = ? AND complete_since IS NOT NULL")) {
                    ps.setLong(1, lease.mailboxId());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_schedule SET kept = ? WHERE mailbox_id = ?")) {
                ps.setString(1, keep.name());
                ps.setLong(2, lease.mailboxId());
                ps.executeUpdate();
            }
            return widened;
        });
    }

    @Override
    public void recordError(long folderId, String error) {
        jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE folder_state SET last_error = ? WHERE id = ?")) {
                ps.setString(1, cut(error, 2000));
                ps.setLong(2, folderId);
                return ps.executeUpdate();
            }
        });
    }
}
