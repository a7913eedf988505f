package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class H2SyncStoreTest extends SyncStoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
