package io.postroom.persistence.internal.jdbc;

import io.postroom.api.TenantId;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.persistence.QuarantineStore;
import io.postroom.persistence.Schema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link QuarantineStore} on plain JDBC. */
@Component(service = QuarantineStore.class)
public final class JdbcQuarantineStore implements QuarantineStore {
    private static final String COLUMNS = "q.mailbox_id, q.folder_name, q.uid_validity, q.uid, q.error, q.attempts,"
            + " q.last_attempt_at, q.given_up";

    private final Jdbc jdbc;

    @Activate
    public JdbcQuarantineStore(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource,
                               @Reference Schema schema) {
        this(new Jdbc(dataSource));
    }

    public JdbcQuarantineStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<QuarantinedMessage> list(long mailboxId) {
        return query("SELECT " + COLUMNS + " FROM quarantine q WHERE q.mailbox_id = ? ORDER BY q.folder_name, q.uid",
                ps -> ps.setLong(1, mailboxId));
    }

    @Override
    public List<QuarantinedMessage> listByTenant(TenantId tenant) {
        return query("SELECT " + COLUMNS + " FROM quarantine q JOIN mailbox m ON m.id = q.mailbox_id WHERE m.tenant_id = ?"
                + " ORDER BY q.mailbox_id, q.folder_name, q.uid", ps -> ps.setString(1, tenant.value()));
    }

    @Override
    public List<QuarantinedMessage> retryable(long mailboxId, String folder, long uidValidity) {
        return query("SELECT " + COLUMNS + " FROM quarantine q WHERE q.mailbox_id = ? AND q.folder_name = ?"
                + " AND q.uid_validity = ? AND q.given_up = FALSE ORDER BY q.uid", ps -> {
                    ps.setLong(1, mailboxId);
                    ps.setString(2, folder);
                    ps.setLong(3, uidValidity);
                });
    }

    @Override
    public long count(long mailboxId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM quarantine WHERE mailbox_id = ?")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public int retryAll(long mailboxId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE quarantine SET attempts = 0, given_up = FALSE"
                    + " WHERE mailbox_id = ?")) {
                ps.setLong(1, mailboxId);
                return ps.executeUpdate();
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<QuarantinedMessage> query(String sql, Binder binder) {
        return jdbc.tx(c -> {
            List<QuarantinedMessage> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new QuarantinedMessage(MailboxId.of(rs.getLong(1)), rs.getString(2), rs.getLong(3),
                                rs.getLong(4), rs.getString(5), rs.getInt(6), Jdbc.toInstant(rs.getObject(7)),
                                rs.getBoolean(8)));
                    }
                }
            }
            return result;
        });
    }
}
