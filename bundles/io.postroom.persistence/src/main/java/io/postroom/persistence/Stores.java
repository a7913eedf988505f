package io.postroom.persistence;

import io.postroom.persistence.internal.JpaMailboxStore;
import io.postroom.persistence.internal.SchemaMigrator;
import io.postroom.persistence.internal.jdbc.Jdbc;
import io.postroom.persistence.internal.jdbc.JdbcFolderStore;
import io.postroom.persistence.internal.jdbc.JdbcMessageStore;
import io.postroom.persistence.internal.jdbc.JdbcQuarantineStore;
import io.postroom.persistence.internal.jdbc.JdbcScheduleStore;
import io.postroom.persistence.internal.jdbc.JdbcSyncRunStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The stores outside OSGi, for tests and tools: migrates the schema of a {@link DataSource} and
 * opens the stores on it with the same persistence unit the bundle uses. Inside OSGi the stores
 * are services; never use this class there.
 */
public final class Stores implements AutoCloseable {
    private final Schema schema;
    private final javax.persistence.EntityManagerFactory emf;
    private final MailboxStore mailboxes;
    private final MessageStore messages;
    private final FolderStore folders;
    private final ScheduleStore schedule;
    private final SyncRunStore runs;
    private final QuarantineStore quarantine;

    private Stores(Schema schema, javax.persistence.EntityManagerFactory emf, DataSource dataSource) {
        this.schema = schema;
        this.emf = emf;
        this.mailboxes = new JpaMailboxStore(emf, schema);
        Jdbc jdbc = new Jdbc(dataSource);
        this.messages = new JdbcMessageStore(jdbc);
        this.folders = new JdbcFolderStore(jdbc);
        this.schedule = new JdbcScheduleStore(jdbc);
        this.runs = new JdbcSyncRunStore(jdbc);
        this.quarantine = new JdbcQuarantineStore(jdbc);
    }

    /** Migrates the schema to the latest version and opens the stores. Close to release the database. */
    public static Stores open(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Schema schema = new SchemaMigrator(dataSource);
        Map<String, Object> props = new HashMap<>();
        props.put("javax.persistence.nonJtaDataSource", dataSource);
        props.put("eclipselink.classloader", Stores.class.getClassLoader());
        javax.persistence.EntityManagerFactory emf = new org.eclipse.persistence.jpa.PersistenceProvider()
                .createEntityManagerFactory("postroom", props);
        if (emf == null) {
            throw new StoreException("The persistence unit 'postroom' was not found on the class path.");
        }
        return new Stores(schema, emf, dataSource);
    }

    public Schema schema() {
        return schema;
    }

    public MailboxStore mailboxes() {
        return mailboxes;
    }

    public MessageStore messages() {
        return messages;
    }

    public FolderStore folders() {
        return folders;
    }

    public ScheduleStore schedule() {
        return schedule;
    }

    public SyncRunStore runs() {
        return runs;
    }

    public QuarantineStore quarantine() {
        return quarantine;
    }

    @Override
    public void close() {
        emf.close();
    }
}
