package io.postroom.persistence.internal.jdbc;

import io.postroom.persistence.Lease;
import io.postroom.persistence.LeaseLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The fencing check that opens every write of the sync: in the writing transaction, extend the
 * lease if (and only if) the writer still owns it with the same epoch. The update also locks the
 * schedule row until commit, so a node claiming meanwhile waits and then sees the extended lease.
 */
final class Fence {
    private final String sql;

    Fence(Dialect dialect) {
        this.sql = "UPDATE sync_schedule SET lease_expires = " + dialect.nowPlusMillis()
                + " WHERE mailbox_id = ? AND lease_owner = ? AND lease_epoch = ?";
    }

    void check(Connection c, Lease lease) throws SQLException {
        if (!extend(c, lease)) {
            throw new LeaseLostException(lease);
        }
    }

    boolean extend(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lease.ttl().toMillis());
            ps.setLong(2, lease.mailboxId());
            ps.setString(3, lease.owner());
            ps.setLong(4, lease.epoch());
            return ps.executeUpdate() == 1;
        }
    }
}
