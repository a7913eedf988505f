package io.postroom.persistence.internal.jdbc;

import static io.postroom.persistence.internal.jdbc.Jdbc.chunks;
import static io.postroom.persistence.internal.jdbc.Jdbc.cut;
import static io.postroom.persistence.internal.jdbc.Jdbc.marks;

import io.postroom.api.TenantId;
import io.postroom.api.message.Correspondent;
import io.postroom.api.message.Direction;
import io.postroom.persistence.AddressKind;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.BatchResult;
import io.postroom.persistence.FlagUpdate;
import io.postroom.persistence.FolderCheckpoint;
import io.postroom.persistence.Lease;
import io.postroom.persistence.MessageAddress;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.MessageCursor;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageDraft;
import io.postroom.persistence.MessageFilter;
import io.postroom.persistence.MessageKeys;
import io.postroom.persistence.MessageListing;
import io.postroom.persistence.MessageLocation;
import io.postroom.persistence.MessageRecord;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.QuarantineDraft;
import io.postroom.persistence.RemapEntry;
import io.postroom.persistence.Schema;
import io.postroom.persistence.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link MessageStore} on plain JDBC: batched inserts, one transaction per call. */
@Component(service = MessageStore.class)
public final class JdbcMessageStore implements MessageStore {
    static final int MAX_SUBJECT = 4000;
    static final int MAX_TEXT_1000 = 1000;
    static final int MAX_PREVIEW = 200;
    static final int MAX_FLAGS = 2000;
    static final int MAX_ERROR = 2000;

    private final Jdbc jdbc;
    private final Fence fence;
    private final PlannerStatistics statistics;

    @Activate
    public JdbcMessageStore(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource,
                            @Reference Schema schema) {
        this(new Jdbc(dataSource));
    }

    public JdbcMessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.fence = new Fence(jdbc.dialect());
        this.statistics = new PlannerStatistics(jdbc);
    }

    // =================================================================== writing

    /** One draft on its way into the database. */
    private static final class Row {
        final MessageDraft draft;
        final String key;
        final List<String> refKeys = new ArrayList<>();
        long messageId;
        long threadId;

        Row(MessageDraft draft) {
            this.draft = draft;
            this.key = draft.key();
            for (String id : draft.inReplyTo()) {
                refKeys.add(MessageKeys.ofMessageId(id));
            }
            for (String id : draft.references()) {
                refKeys.add(MessageKeys.ofMessageId(id));
            }
        }
    }

    private record Existing(long id, Direction direction, boolean deletedOnServer) {
    }

    @Override
    public BatchResult write(MessageBatch b) {
        BatchResult result = writeBatch(b);
        statistics.stored(result.storedIds().size());
        return result;
    }

    private BatchResult writeBatch(MessageBatch b) {
        return jdbc.tx(c -> {
            Lease lease = b.lease();
            fence.check(c, lease);
            Folder folder = folder(c, b.folderId(), lease.mailboxId());
            List<Row> rows = new ArrayList<>(b.messages().size());
            for (MessageDraft d : b.messages()) {
                rows.add(new Row(d));
            }

            // which messages exist (dedupe), and which UIDs are located already (replay)
            Set<String> keys = new LinkedHashSet<>();
            rows.forEach(r -> keys.add(r.key));
            Map<String, Existing> existing = existingByKey(c, lease.mailboxId(), keys);
            Set<Long> uids = new HashSet<>();
            rows.forEach(r -> uids.add(r.draft.uid()));
            Map<Long, Long> located = locatedMessages(c, b.folderId(), uids);

            // one insert per new key: the first copy, or a sent copy (it makes the record sent)
            Map<String, Row> inserted = new LinkedHashMap<>();
            Set<Long> toSent = new TreeSet<>();
            Set<Long> undelete = new TreeSet<>();
            for (Row r : rows) {
                Existing e = existing.get(r.key);
                if (e != null) {
                    r.messageId = e.id;
                    if (r.draft.direction() == Direction.SENT && e.direction == Direction.RECEIVED) {
                        toSent.add(e.id);
                    }
                    if (e.deletedOnServer) {
                        undelete.add(e.id);
                    }
                    continue;
                }
                Row first = inserted.get(r.key);
                if (first == null || (r.draft.direction() == Direction.SENT && first.draft.direction() == Direction.RECEIVED)) {
                    inserted.put(r.key, r);
                }
            }
            List<Row> inserts = new ArrayList<>(inserted.values());
            long[] ids = jdbc.nextIds(c, "message_seq", inserts.size());
            for (int i = 0; i < inserts.size(); i++) {
                inserts.get(i).messageId = ids[i];
            }
            for (Row r : rows) {
                if (r.messageId == 0) {
                    r.messageId = inserted.get(r.key).messageId;
                }
            }

            assignThreads(c, lease.mailboxId(), inserts);
            insertMessages(c, folder.tenant, lease.mailboxId(), inserts);
            updateIds(c, "UPDATE message SET direction = 'SENT' WHERE id IN (%s)", toSent);
            updateIds(c, "UPDATE message SET deleted_on_server = FALSE WHERE id IN (%s)", undelete);
            int added = writeLocations(c, b.folderId(), b.uidValidity(), rows, located);
            int flagChanges = updateFlags(c, b.folderId(), b.flagUpdates());
            int expunged = expunge(c, b.folderId(), b.expungedUids());
            int quarantined = quarantine(c, lease.mailboxId(), b.quarantined());
            resolveQuarantine(c, lease.mailboxId(), folder.name, b.uidValidity(), b.resolvedQuarantine());
            if (b.checkpoint() != null) {
                if (b.checkpoint().uidValidity() != null && b.checkpoint().uidValidity() == 0) {
                    // the folder is void (gone from the server): no entry of it, under any UIDVALIDITY, can be retried
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine WHERE mailbox_id = ? AND folder_name = ?")) {
                        ps.setLong(1, lease.mailboxId());
                        ps.setString(2, folder.name);
                        ps.executeUpdate();
                    }
                }
                writeCheckpoint(c, b.folderId(), b.checkpoint());
            }
            List<Long> stored = inserts.stream().map(r -> r.messageId).toList();
            if (b.runId() > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE sync_run SET messages_stored = messages_stored + ?,"
                        + " flag_changes = flag_changes + ?, expunged = expunged + ?, quarantined = quarantined + ?"
                        + " WHERE id = ?")) {
                    ps.setLong(1, stored.size());
                    ps.setLong(2, flagChanges);
                    ps.setLong(3, expunged);
                    ps.setInt(4, quarantined);
                    ps.setLong(5, b.runId());
                    ps.executeUpdate();
                }
            }
            return new BatchResult(stored, added, flagChanges, expunged, quarantined);
        });
    }

    private record Folder(String name, String tenant) {
    }

    private static Folder folder(Connection c, long folderId, long mailboxId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT f.name, m.tenant_id FROM folder_state f"
                + " JOIN mailbox m ON m.id = f.mailbox_id WHERE f.id = ? AND f.mailbox_id = ?")) {
            ps.setLong(1, folderId);
            ps.setLong(2, mailboxId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("Folder " + folderId + " is not a folder of mailbox " + mailboxId + ".");
                }
                return new Folder(rs.getString(1), rs.getString(2));
            }
        }
    }

    private static Map<String, Existing> existingByKey(Connection c, long mailboxId, Collection<String> keys)
            throws SQLException {
        Map<String, Existing> result = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT m.id, m.message_key, m.direction, m.deleted_on_server"
                    + " FROM " + KeyLookup.strings("k") + " JOIN message m ON m.mailbox_id = ? AND m.message_key = k.v")) {
                KeyLookup.setStrings(c, ps, 1, chunk);
                ps.setLong(2, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.put(rs.getString(2), new Existing(rs.getLong(1), Direction.valueOf(rs.getString(3)),
                                rs.getBoolean(4)));
                    }
                }
            }
        }
        return result;
    }

    private static Map<Long, Long> locatedMessages(Connection c, long folderId, Collection<Long> uids) throws SQLException {
        Map<Long, Long> result = new HashMap<>();
        for (List<Long> chunk : chunks(uids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.uid, l.message_id FROM " + KeyLookup.longs("k")
                    + " JOIN message_location l ON l.folder_id = ? AND l.uid = k.v")) {
                KeyLookup.setLongs(c, ps, 1, chunk);
                ps.setLong(2, folderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
        }
        return result;
    }

    /**
     * Threads: messages connected by Message-ID / In-Reply-To / References share a thread. New
     * messages join the threads of the known messages they reference or that reference them; when
     * they connect several threads (a parent arriving after its children), those merge into the
     * one with the smallest id.
     */
    private static void assignThreads(Connection c, long mailboxId, List<Row> inserts) throws SQLException {
        if (inserts.isEmpty()) {
            return;
        }
        UnionFind groups = new UnionFind();
        Set<String> keys = new LinkedHashSet<>();
        for (Row r : inserts) {
            keys.add(r.key);
            groups.add("k" + r.key);
            for (String ref : r.refKeys) {
                keys.add(ref);
                groups.union("k" + r.key, "k" + ref);
            }
        }
        for (List<String> chunk : chunks(keys)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT m.message_key, m.thread_id FROM " + KeyLookup.strings("k")
                    + " JOIN message m ON m.mailbox_id = ? AND m.message_key = k.v")) {
                KeyLookup.setStrings(c, ps, 1, chunk);
                ps.setLong(2, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        groups.union("k" + rs.getString(1), "t" + rs.getLong(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT r.ref_key, m.thread_id FROM " + KeyLookup.strings("k")
                    + " JOIN message_ref r ON r.mailbox_id = ? AND r.ref_key = k.v"
                    + " JOIN message m ON m.id = r.message_id")) {
                KeyLookup.setStrings(c, ps, 1, chunk);
                ps.setLong(2, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        groups.union("k" + rs.getString(1), "t" + rs.getLong(2));
                    }
                }
            }
        }
        // per group: the existing threads and the new messages in it
        Map<String, TreeSet<Long>> threadsByRoot = new HashMap<>();
        for (String node : groups.nodes()) {
            if (node.startsWith("t")) {
                threadsByRoot.computeIfAbsent(groups.find(node), k -> new TreeSet<>()).add(Long.parseLong(node.substring(1)));
            }
        }
        Map<String, Long> chosen = new HashMap<>();
        for (Row r : inserts) {
            String root = groups.find("k" + r.key);
            TreeSet<Long> threads = threadsByRoot.get(root);
            long candidate = threads == null || threads.isEmpty() ? r.messageId : Math.min(threads.first(), r.messageId);
            chosen.merge(root, candidate, Math::min);
        }
        for (Row r : inserts) {
            r.threadId = chosen.get(groups.find("k" + r.key));
        }
        for (Map.Entry<String, TreeSet<Long>> e : threadsByRoot.entrySet()) {
            Long target = chosen.get(e.getKey());
            if (target == null) {
                continue; // a group of existing messages only: already one thread
            }
            List<Long> merged = e.getValue().stream().filter(t -> t.longValue() != target).toList();
            if (merged.isEmpty()) {
                continue;
            }
            // one statement per merged thread: an index lookup on thread_id each (see KeyLookup)
            try (PreparedStatement ps = c.prepareStatement("UPDATE message SET thread_id = ? WHERE thread_id = ?"
                    + " AND mailbox_id = ?")) {
                for (Long thread : merged) {
                    ps.setLong(1, target);
                    ps.setLong(2, thread);
                    ps.setLong(3, mailboxId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private void insertMessages(Connection c, String tenant, long mailboxId, List<Row> inserts) throws SQLException {
        if (inserts.isEmpty()) {
            return;
        }
        try (PreparedStatement m = c.prepareStatement("INSERT INTO message (id, tenant_id, mailbox_id, message_key,"
                + " message_id_hdr, fingerprint, thread_id, direction, subject, normalized_subject, from_name, from_address,"
                + " sent_at, internal_date, size, has_attachments, auto_submitted, list_id, preview, problems,"
                + " deleted_on_server, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, "
                + jdbc.dialect().now() + ")");
             PreparedStatement body = c.prepareStatement("INSERT INTO message_body (message_id, text_body, html_body)"
                     + " VALUES (?, ?, ?)");
             PreparedStatement addr = c.prepareStatement("INSERT INTO message_address (message_id, kind, position, name,"
                     + " address, address_key) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement ref = c.prepareStatement("INSERT INTO message_ref (message_id, kind, position, mailbox_id,"
                     + " ref_key, ref_id) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement att = c.prepareStatement("INSERT INTO attachment (message_id, idx, part, file_name,"
                     + " content_type, size, inline_part, content_id, transfer_encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean anyAddr = false;
            boolean anyRef = false;
            boolean anyAtt = false;
            for (Row r : inserts) {
                MessageDraft d = r.draft;
                MessageAddress from = d.addresses().stream().filter(a -> a.kind() == AddressKind.FROM).findFirst().orElse(null);
                Instant date = d.date() != null ? d.date() : d.internalDate() != null ? d.internalDate() : Instant.now();
                int i = 1;
                m.setLong(i++, r.messageId);
                m.setString(i++, tenant);
                m.setLong(i++, mailboxId);
                m.setString(i++, r.key);
                m.setString(i++, cut(d.messageIdHeader(), MAX_TEXT_1000));
                m.setString(i++, cut(d.fingerprint(), 128));
                m.setLong(i++, r.threadId);
                m.setString(i++, d.direction().name());
                m.setString(i++, cut(d.subject(), MAX_SUBJECT));
                m.setString(i++, cut(d.normalizedSubject(), MAX_TEXT_1000));
                m.setString(i++, from == null ? null : cut(from.name(), MAX_TEXT_1000));
                m.setString(i++, from == null ? null : cut(from.address(), MAX_TEXT_1000));
                Jdbc.setInstant(m, i++, date);
                Jdbc.setInstant(m, i++, d.internalDate());
                m.setLong(i++, Math.max(0, d.size()));
                m.setBoolean(i++, d.attachments().stream().anyMatch(a -> !a.inline()));
                m.setString(i++, cut(d.autoSubmitted(), 200));
                m.setString(i++, cut(d.listId(), MAX_TEXT_1000));
                m.setString(i++, preview(d.text()));
                m.setString(i++, cut(String.join(",", new TreeSet<>(d.problems())), MAX_TEXT_1000));
                m.addBatch();

                body.setLong(1, r.messageId);
                body.setString(2, cut(d.text(), Integer.MAX_VALUE));
                body.setString(3, cut(d.html(), Integer.MAX_VALUE));
                body.addBatch();

                Map<AddressKind, Integer> positions = new HashMap<>();
                for (MessageAddress a : d.addresses()) {
                    int position = positions.merge(a.kind(), 1, Integer::sum);
                    addr.setLong(1, r.messageId);
                    addr.setString(2, a.kind().name());
                    addr.setInt(3, position);
                    addr.setString(4, cut(a.name(), MAX_TEXT_1000));
                    addr.setString(5, cut(a.address(), MAX_TEXT_1000));
                    addr.setString(6, cut(a.addressKey(), MAX_TEXT_1000));
                    addr.addBatch();
                    anyAddr = true;
                }
                anyRef |= addRefs(ref, r, "IN_REPLY_TO", d.inReplyTo(), mailboxId);
                anyRef |= addRefs(ref, r, "REFERENCES", d.references(), mailboxId);
                for (AttachmentRecord a : d.attachments()) {
                    att.setLong(1, r.messageId);
                    att.setInt(2, a.index());
                    att.setString(3, cut(a.part(), 200));
                    att.setString(4, cut(a.fileName(), MAX_TEXT_1000));
                    att.setString(5, cut(a.contentType(), 255));
                    att.setLong(6, a.size());
                    att.setBoolean(7, a.inline());
                    att.setString(8, cut(a.contentId(), MAX_TEXT_1000));
                    att.setString(9, cut(a.transferEncoding(), 64));
                    att.addBatch();
                    anyAtt = true;
                }
            }
            m.executeBatch();
            body.executeBatch();
            if (anyAddr) {
                addr.executeBatch();
            }
            if (anyRef) {
                ref.executeBatch();
            }
            if (anyAtt) {
                att.executeBatch();
            }
        }
    }

    private static boolean addRefs(PreparedStatement ref, Row r, String kind, List<String> ids, long mailboxId)
            throws SQLException {
        int position = 0;
        for (String id : ids) {
            ref.setLong(1, r.messageId);
            ref.setString(2, kind);
            ref.setInt(3, ++position);
            ref.setLong(4, mailboxId);
            ref.setString(5, MessageKeys.ofMessageId(id));
            ref.setString(6, cut(id, MAX_TEXT_1000));
            ref.addBatch();
        }
        return position > 0;
    }

    /** The list's one-line preview: the text's start, white space collapsed, at most {@link #MAX_PREVIEW} characters. */
    static String preview(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        // one pass over the start of the text: each run of white space or control characters is one space
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_PREVIEW + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && b.length() <= MAX_PREVIEW; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return cut(b.toString(), MAX_PREVIEW).stripTrailing();
    }

    private static int writeLocations(Connection c, long folderId, long uidValidity, List<Row> rows,
                                      Map<Long, Long> located) throws SQLException {
        int added = 0;
        boolean anyInsert = false;
        boolean anyUpdate = false;
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO message_location (folder_id, uid, uid_validity,"
                + " message_id, flags, modseq) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement upd = c.prepareStatement("UPDATE message_location SET uid_validity = ?, message_id = ?,"
                     + " flags = ?, modseq = ? WHERE folder_id = ? AND uid = ?")) {
            Set<Long> seen = new HashSet<>();
            for (Row r : rows) {
                long uid = r.draft.uid();
                if (!seen.add(uid)) {
                    continue;
                }
                String flags = flags(r.draft.flags());
                if (located.containsKey(uid)) {
                    upd.setLong(1, uidValidity);
                    upd.setLong(2, r.messageId);
                    upd.setString(3, flags);
                    Jdbc.setLongOrNull(upd, 4, r.draft.modSeq());
                    upd.setLong(5, folderId);
                    upd.setLong(6, uid);
                    upd.addBatch();
                    anyUpdate = true;
                } else {
                    ins.setLong(1, folderId);
                    ins.setLong(2, uid);
                    ins.setLong(3, uidValidity);
                    ins.setLong(4, r.messageId);
                    ins.setString(5, flags);
                    Jdbc.setLongOrNull(ins, 6, r.draft.modSeq());
                    ins.addBatch();
                    anyInsert = true;
                    added++;
                }
            }
            if (anyInsert) {
                ins.executeBatch();
            }
            if (anyUpdate) {
                upd.executeBatch();
            }
        }
        return added;
    }

    private static int updateFlags(Connection c, long folderId, List<FlagUpdate> updates) throws SQLException {
        if (updates.isEmpty()) {
            return 0;
        }
        int changed = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE message_location SET flags = ?, modseq = ?"
                + " WHERE folder_id = ? AND uid = ?")) {
            for (FlagUpdate u : updates) {
                ps.setString(1, flags(u.flags()));
                Jdbc.setLongOrNull(ps, 2, u.modSeq());
                ps.setLong(3, folderId);
                ps.setLong(4, u.uid());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                if (n > 0 || n == java.sql.Statement.SUCCESS_NO_INFO) {
                    changed++;
                }
            }
        }
        return changed;
    }

    private static int expunge(Connection c, long folderId, List<Long> uids) throws SQLException {
        if (uids.isEmpty()) {
            return 0;
        }
        Set<Long> affected = new TreeSet<>(locatedMessages(c, folderId, uids).values());
        int removed = 0;
        // one primary-key delete per UID (an IN list on the key's second column scans the folder: see KeyLookup)
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM message_location WHERE folder_id = ? AND uid = ?")) {
            for (long uid : new TreeSet<>(uids)) {
                ps.setLong(1, folderId);
                ps.setLong(2, uid);
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                removed += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
            }
        }
        markDeletedWithoutLocation(c, affected);
        return removed;
    }

    private static void markDeletedWithoutLocation(Connection c, Collection<Long> messageIds) throws SQLException {
        for (List<Long> chunk : chunks(messageIds)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE message SET deleted_on_server = TRUE WHERE id IN ("
                    + marks(chunk.size()) + ") AND NOT EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = message.id)")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    private int quarantine(Connection c, long mailboxId, List<QuarantineDraft> entries) throws SQLException {
        int written = 0;
        for (QuarantineDraft q : entries) {
            try (PreparedStatement upd = c.prepareStatement("UPDATE quarantine SET attempts = attempts + 1, error = ?,"
                    + " last_attempt_at = " + jdbc.dialect().now() + ", given_up = (attempts + 1 >= ?)"
                    + " WHERE mailbox_id = ? AND folder_name = ? AND uid_validity = ? AND uid = ?")) {
                upd.setString(1, cut(q.error(), MAX_ERROR));
                upd.setInt(2, q.maxAttempts());
                upd.setLong(3, mailboxId);
                upd.setString(4, q.folder());
                upd.setLong(5, q.uidValidity());
                upd.setLong(6, q.uid());
                if (upd.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO quarantine (mailbox_id, folder_name,"
                            + " uid_validity, uid, error, attempts, first_failed_at, last_attempt_at, given_up)"
                            + " VALUES (?, ?, ?, ?, ?, 1, " + jdbc.dialect().now() + ", " + jdbc.dialect().now() + ", ?)")) {
                        ins.setLong(1, mailboxId);
                        ins.setString(2, q.folder());
                        ins.setLong(3, q.uidValidity());
                        ins.setLong(4, q.uid());
                        ins.setString(5, cut(q.error(), MAX_ERROR));
                        ins.setBoolean(6, q.maxAttempts() <= 1);
                        ins.executeUpdate();
                    }
                }
            }
            written++;
        }
        return written;
    }

    private static void resolveQuarantine(Connection c, long mailboxId, String folder, long uidValidity, List<Long> uids)
            throws SQLException {
        for (List<Long> chunk : chunks(uids)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine WHERE mailbox_id = ? AND folder_name = ?"
                    + " AND uid_validity = ? AND uid IN (" + marks(chunk.size()) + ")")) {
                ps.setLong(1, mailboxId);
                ps.setString(2, folder);
                ps.setLong(3, uidValidity);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 4, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    static void writeCheckpoint(Connection c, long folderId, FolderCheckpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE folder_state SET uid_validity = ?, uid_next = ?, high_uid = ?,"
                + " low_uid = ?, highest_modseq = ?, messages_on_server = ?, complete_since = ?, last_synced_at = ?,"
                + " last_error = NULL WHERE id = ?")) {
            Jdbc.setLongOrNull(ps, 1, cp.uidValidity());
            Jdbc.setLongOrNull(ps, 2, cp.uidNext());
            Jdbc.setLongOrNull(ps, 3, cp.highUid());
            Jdbc.setLongOrNull(ps, 4, cp.lowUid());
            Jdbc.setLongOrNull(ps, 5, cp.highestModSeq());
            ps.setLong(6, cp.messagesOnServer());
            Jdbc.setInstant(ps, 7, cp.completeSince());
            Jdbc.setInstant(ps, 8, cp.syncedAt());
            ps.setLong(9, folderId);
            if (ps.executeUpdate() != 1) {
                throw new StoreException("Folder " + folderId + " does not exist (any more).");
            }
        }
    }

    private static void updateIds(Connection c, String sql, Collection<Long> ids) throws SQLException {
        for (List<Long> chunk : chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement(String.format(sql, marks(chunk.size())))) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    static String flags(Set<String> flags) {
        return cut(String.join(" ", new TreeSet<>(flags)), MAX_FLAGS);
    }

    static Set<String> flags(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(text.strip().split(" +")));
    }

    // =================================================================== UIDVALIDITY remap

    /**
     * The folder's records located nowhere else are marked deleted on the server (in SQL: nothing of
     * the folder is held here), then every location of the folder goes, and the quarantine entries of
     * other UIDVALIDITYs.
     */
    @Override
    public int remapBegin(Lease lease, long folderId, long uidValidity) {
        return jdbc.tx(c -> {
            fence.check(c, lease);
            Folder folder = folder(c, folderId, lease.mailboxId());
            try (PreparedStatement ps = c.prepareStatement("UPDATE message SET deleted_on_server = TRUE WHERE id IN"
                    + " (SELECT message_id FROM message_location WHERE folder_id = ?) AND NOT EXISTS (SELECT 1 FROM"
                    + " message_location l WHERE l.message_id = message.id AND l.folder_id <> ?)")) {
                ps.setLong(1, folderId);
                ps.setLong(2, folderId);
                ps.executeUpdate();
            }
            int removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM message_location WHERE folder_id = ?")) {
                ps.setLong(1, folderId);
                removed = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM quarantine WHERE mailbox_id = ? AND folder_name = ?"
                    + " AND uid_validity <> ?")) {
                ps.setLong(1, lease.mailboxId());
                ps.setString(2, folder.name);
                ps.setLong(3, uidValidity);
                ps.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public int remapChunk(Lease lease, long folderId, long uidValidity, List<RemapEntry> entries) {
        return jdbc.tx(c -> {
            fence.check(c, lease);
            folder(c, folderId, lease.mailboxId());
            Set<String> keys = new LinkedHashSet<>();
            for (RemapEntry e : entries) {
                if (e.key() != null) {
                    keys.add(e.key());
                }
            }
            Map<String, Existing> existing = existingByKey(c, lease.mailboxId(), keys);
            Set<Long> matched = new TreeSet<>();
            Set<Long> matchedMessages = new TreeSet<>();
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO message_location (folder_id, uid, uid_validity,"
                    + " message_id, flags, modseq) VALUES (?, ?, ?, ?, ?, ?)")) {
                boolean any = false;
                for (RemapEntry e : entries) {
                    Existing x = e.key() == null ? null : existing.get(e.key());
                    if (x == null || !matched.add(e.uid())) {
                        continue;
                    }
                    matchedMessages.add(x.id);
                    ins.setLong(1, folderId);
                    ins.setLong(2, e.uid());
                    ins.setLong(3, uidValidity);
                    ins.setLong(4, x.id);
                    ins.setString(5, flags(e.flags()));
                    Jdbc.setLongOrNull(ins, 6, e.modSeq());
                    ins.addBatch();
                    any = true;
                }
                if (any) {
                    ins.executeBatch();
                }
            }
            updateIds(c, "UPDATE message SET deleted_on_server = FALSE WHERE id IN (%s)", matchedMessages);
            return matched.size();
        });
    }

    // =================================================================== reading

    private static final String SUMMARY_COLUMNS = "m.id, m.tenant_id, m.mailbox_id, m.thread_id, m.direction, m.subject,"
            + " m.preview, m.from_name, m.from_address, m.sent_at, m.internal_date, m.size, m.has_attachments,"
            + " m.deleted_on_server, m.message_id_hdr, m.problems";

    private record Summary(long id, String tenant, long mailboxId, long threadId, Direction direction, String subject,
                           String preview, Correspondent from, Instant date, Instant internalDate, long size,
                           boolean hasAttachments, boolean deletedOnServer, String messageIdHeader, Set<String> problems) {
    }

    private static Summary summary(ResultSet rs) throws SQLException {
        String problems = rs.getString("problems");
        return new Summary(rs.getLong("id"), rs.getString("tenant_id"), rs.getLong("mailbox_id"), rs.getLong("thread_id"),
                Direction.valueOf(rs.getString("direction")), rs.getString("subject"), rs.getString("preview"),
                new Correspondent(rs.getString("from_name"), rs.getString("from_address")),
                Jdbc.getInstant(rs, "sent_at"), Jdbc.getInstant(rs, "internal_date"), rs.getLong("size"),
                rs.getBoolean("has_attachments"), rs.getBoolean("deleted_on_server"), rs.getString("message_id_hdr"),
                problems == null || problems.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(problems.split(","))));
    }

    /** Completes summaries with To addresses, folders and flags: two queries for a whole page. */
    private static List<MessageRecord> records(Connection c, List<Summary> summaries) throws SQLException {
        if (summaries.isEmpty()) {
            return List.of();
        }
        List<Long> ids = summaries.stream().map(Summary::id).toList();
        Map<Long, List<Correspondent>> to = new HashMap<>();
        Map<Long, List<String>> folders = new HashMap<>();
        Map<Long, Set<String>> flags = new HashMap<>();
        for (List<Long> chunk : chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT message_id, name, address FROM message_address"
                    + " WHERE kind = 'TO' AND message_id IN (" + marks(chunk.size()) + ") ORDER BY message_id, position")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        to.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                .add(new Correspondent(rs.getString(2), rs.getString(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT l.message_id, f.name, l.flags FROM message_location l"
                    + " JOIN folder_state f ON f.id = l.folder_id WHERE l.message_id IN (" + marks(chunk.size()) + ")"
                    + " ORDER BY l.message_id, f.name, l.uid")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> names = folders.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
                        if (!names.contains(rs.getString(2))) {
                            names.add(rs.getString(2));
                        }
                        flags.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).addAll(flags(rs.getString(3)));
                    }
                }
            }
        }
        List<MessageRecord> result = new ArrayList<>(summaries.size());
        for (Summary s : summaries) {
            result.add(new MessageRecord(s.id, TenantId.of(s.tenant), s.mailboxId, s.threadId, s.direction, s.from,
                    to.get(s.id), s.subject, s.preview, s.date, s.internalDate, s.size, flags.get(s.id), s.hasAttachments,
                    folders.get(s.id), s.deletedOnServer, s.messageIdHeader, s.problems));
        }
        return result;
    }

    @Override
    public MessageListing list(MessageFilter f) {
        if (f.mailboxIds().isEmpty()) {
            return new MessageListing(List.of(), null);
        }
        List<Long> mailboxes = List.copyOf(f.mailboxIds());
        if (mailboxes.size() > Jdbc.IN_CHUNK) {
            throw new IllegalArgumentException("at most " + Jdbc.IN_CHUNK + " mailboxes per listing");
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(SUMMARY_COLUMNS)
                .append(" FROM message m WHERE m.mailbox_id IN (").append(marks(mailboxes.size())).append(")");
        if (f.folder() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM message_location l JOIN folder_state fs ON fs.id = l.folder_id"
                    + " WHERE l.message_id = m.id AND fs.name = ?)");
        }
        if (f.after() != null) {
            sql.append(" AND (m.sent_at < ? OR (m.sent_at = ? AND m.id < ?))");
        }
        sql.append(" ORDER BY m.sent_at DESC, m.id DESC FETCH FIRST ? ROWS ONLY");
        return jdbc.tx(c -> {
            List<Summary> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Long id : mailboxes) {
                    ps.setLong(i++, id);
                }
                if (f.folder() != null) {
                    ps.setString(i++, f.folder());
                }
                if (f.after() != null) {
                    Jdbc.setInstant(ps, i++, f.after().date());
                    Jdbc.setInstant(ps, i++, f.after().date());
                    ps.setLong(i++, f.after().id());
                }
                ps.setInt(i, f.limit() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(summary(rs));
                    }
                }
            }
            MessageCursor next = null;
            if (page.size() > f.limit()) {
                page = page.subList(0, f.limit());
                Summary last = page.get(page.size() - 1);
                next = new MessageCursor(last.date, last.id);
            }
            return new MessageListing(records(c, page), next);
        });
    }

    @Override
    public Optional<MessageDetail> find(long messageId) {
        return jdbc.tx(c -> {
            Summary s = null;
            String autoSubmitted = null;
            String listId = null;
            String normalized = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS
                    + ", m.auto_submitted, m.list_id, m.normalized_subject FROM message m WHERE m.id = ?")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    s = summary(rs);
                    autoSubmitted = rs.getString("auto_submitted");
                    listId = rs.getString("list_id");
                    normalized = rs.getString("normalized_subject");
                }
            }
            MessageRecord record = records(c, List.of(s)).get(0);
            List<MessageAddress> addresses = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, name, address FROM message_address"
                    + " WHERE message_id = ? ORDER BY kind, position")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        addresses.add(new MessageAddress(AddressKind.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            addresses.sort(java.util.Comparator.comparing(MessageAddress::kind)); // stable: header order within a kind
            List<String> inReplyTo = new ArrayList<>();
            List<String> references = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, ref_id FROM message_ref WHERE message_id = ?"
                    + " ORDER BY kind, position")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ("IN_REPLY_TO".equals(rs.getString(1)) ? inReplyTo : references).add(rs.getString(2));
                    }
                }
            }
            String text = "";
            String html = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT text_body, html_body FROM message_body WHERE message_id = ?")) {
                ps.setLong(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        text = rs.getString(1);
                        html = rs.getString(2);
                    }
                }
            }
            return Optional.of(new MessageDetail(record, addresses, inReplyTo, references, autoSubmitted, listId, normalized,
                    text, html, attachments(c, messageId, null), locations(c, messageId)));
        });
    }

    private static List<AttachmentRecord> attachments(Connection c, long messageId, Integer index) throws SQLException {
        List<AttachmentRecord> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, part, file_name, content_type, size, inline_part,"
                + " content_id, transfer_encoding FROM attachment WHERE message_id = ?"
                + (index == null ? "" : " AND idx = ?") + " ORDER BY idx")) {
            ps.setLong(1, messageId);
            if (index != null) {
                ps.setInt(2, index);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new AttachmentRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getBoolean(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return result;
    }

    private static List<MessageLocation> locations(Connection c, long messageId) throws SQLException {
        List<MessageLocation> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.folder_id, f.name, l.uid_validity, l.uid, l.flags"
                + " FROM message_location l JOIN folder_state f ON f.id = l.folder_id WHERE l.message_id = ?"
                + " ORDER BY f.name, l.uid")) {
            ps.setLong(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new MessageLocation(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            flags(rs.getString(5))));
                }
            }
        }
        return result;
    }

    @Override
    public List<MessageRecord> thread(long threadId) {
        return jdbc.tx(c -> {
            List<Summary> members = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS
                    + " FROM message m WHERE m.thread_id = ? ORDER BY m.sent_at, m.id")) {
                ps.setLong(1, threadId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(summary(rs));
                    }
                }
            }
            return records(c, members);
        });
    }

    @Override
    public List<MessageLocation> locations(long messageId) {
        return jdbc.tx(c -> locations(c, messageId));
    }

    @Override
    public Optional<Long> findByMessageIdHeader(long mailboxId, String messageIdHeader) {
        if (messageIdHeader == null || messageIdHeader.isBlank()) {
            return Optional.empty();
        }
        String key = MessageKeys.ofMessageId(messageIdHeader);
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM message WHERE mailbox_id = ? AND message_key = ?")) {
                ps.setLong(1, mailboxId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    @Override
    public Optional<AttachmentRecord> attachment(long messageId, int index) {
        return jdbc.tx(c -> attachments(c, messageId, index).stream().findFirst());
    }

    @Override
    public long count(long mailboxId) {
        return jdbc.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM message WHERE mailbox_id = ?")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Union-find over string nodes (keys and thread ids), for threading a batch. */
    private static final class UnionFind {
        private final Map<String, String> parent = new LinkedHashMap<>();

        void add(String node) {
            parent.putIfAbsent(node, node);
        }

        String find(String node) {
            add(node);
            String root = node;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            String n = node;
            while (!parent.get(n).equals(root)) {
                String next = parent.get(n);
                parent.put(n, root);
                n = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(rb, ra);
            }
        }

        Set<String> nodes() {
            return new LinkedHashSet<>(parent.keySet());
        }
    }
}
