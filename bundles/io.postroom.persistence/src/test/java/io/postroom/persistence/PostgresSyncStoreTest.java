package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class PostgresSyncStoreTest extends SyncStoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
