package io.postroom.persistence;

import io.postroom.testing.db.DatabaseKind;

class H2MailboxStoreTest extends MailboxStoreContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.H2;
    }
}
