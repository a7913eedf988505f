package io.postroom.persistence.internal;

import io.postroom.persistence.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to this bundle's version with Flyway before anything uses the database.
 * Flyway locks the schema history table, so several nodes starting at once migrate only once.
 */
@Component(service = Schema.class, immediate = true)
public final class SchemaMigrator implements Schema {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final String version;
    private final String database;

    @Activate
    public SchemaMigrator(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource) {
        MigrateResult result = migrate(dataSource, SchemaMigrator.class.getClassLoader());
        this.version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        this.database = databaseName(dataSource);
        LOG.info("Postroom schema at version {} on {} ({} migrations applied)", version, database, result.migrationsExecuted);
    }

    /** Migrates the schema; also used by tests outside OSGi. */
    public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader) {
        Flyway flyway = Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .table("postroom_schema_history")
                .baselineOnMigrate(false)
                .load();
        return flyway.migrate();
    }

    private static String databaseName(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            return "unknown";
        }
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String database() {
        return database;
    }
}
