package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class PostgresMigrationTest extends MigrationContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
