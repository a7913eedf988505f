package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class PostgresMailboxStoreTest extends MailboxStoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }
}
