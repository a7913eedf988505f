package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class H2MigrationTest extends MigrationContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
