package io.postroom.persistence.internal;

import io.postroom.persistence.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to this bundle's version with Flyway before anything uses the database.
 * Flyway locks the schema history table, so several nodes starting at once migrate only once.
 *
 * <p>Migrations live in {@code db/migration} (SQL that runs on H2 and PostgreSQL alike) and in
 * {@code db/vendor/h2} or {@code db/vendor/postgresql} for the rare statement that must differ.
 */
@Component(service = Schema.class, immediate = true)
public final class SchemaMigrator implements Schema {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** Common migrations. */
    public static final String COMMON_LOCATION = "classpath:db/migration";
    /** Database-specific migrations; {@code {vendor}} stands for {@code h2} or {@code postgresql}. */
    public static final String VENDOR_LOCATION = "classpath:db/vendor/{vendor}";
    public static final String HISTORY_TABLE = "postroom_schema_history";

    private final String version;
    private final String database;

    @Activate
    public SchemaMigrator(@Reference(target = "(dataSourceName=postroom)") DataSource dataSource) {
        MigrateResult result = migrate(dataSource, SchemaMigrator.class.getClassLoader());
        this.version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        this.database = databaseName(dataSource);
        LOG.info("Postroom schema at version {} on {} ({} migrations applied)", version, database, result.migrationsExecuted);
    }

    /** Migrates the schema to the latest version; also used by tests outside OSGi. */
    public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader) {
        return migrate(dataSource, classLoader, null, List.of());
    }

    /**
     * Migrates the schema up to {@code target} (null: the latest), also applying the migrations in
     * {@code extraLocations} (where {@code {vendor}} is replaced as in {@link #VENDOR_LOCATION}).
     * Tests use it to stop at an old version and to add test-only migrations.
     */
    public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader, String target,
                                        List<String> extraLocations) {
        String vendor = vendor(dataSource);
        List<String> locations = new ArrayList<>(List.of(COMMON_LOCATION));
        locations.add(VENDOR_LOCATION.replace("{vendor}", vendor));
        for (String l : extraLocations) {
            locations.add(l.replace("{vendor}", vendor));
        }
        FluentConfiguration config = Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .cleanDisabled(true);
        if (target != null) {
            config.target(target);
        }
        return config.load().migrate();
    }

    /** {@code h2}, {@code postgresql}, or the product name in lower case for any other database. */
    static String vendor(DataSource dataSource) {
        String product = databaseName(dataSource).toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return "postgresql";
        }
        return product.replaceAll("[^a-z0-9]", "");
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
