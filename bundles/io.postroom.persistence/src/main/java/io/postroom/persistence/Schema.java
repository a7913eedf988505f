package io.postroom.persistence;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Present as a service once the database schema is migrated to the version this bundle needs.
 * Components that use the database directly may depend on it.
 */
@ProviderType
public interface Schema {

    /** The schema version after migration, e.g. {@code "1"}. */
    String version();

    /** The database product, e.g. {@code "H2"} or {@code "PostgreSQL"}. */
    String database();
}
