package io.postroom.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import org.junit.jupiter.api.Test;

class PostgresMigrationTest extends MigrationContract {
    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    /**
     * V4 compresses the message text with lz4 where the server offers it, and leaves the server's
     * default where it does not (the embedded server of these tests has no lz4; run with
     * {@code -Dpostroom.test.postgres=//host:port} against one that has, e.g. Debian's).
     */
    @Test
    void messageTextIsCompressedWithLz4WhereTheServerOffersIt() {
        try (TestDatabase db = TestDatabases.create(kind())) {
            try (Stores stores = Stores.open(db.dataSource())) {
                assertThat(stores.schema().version()).isEqualTo("4");
            }
            boolean offered = db.queryForLong("SELECT COUNT(*) FROM pg_settings"
                    + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)") == 1;
            String columns = "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = 'message_body'::regclass"
                    + " AND attname IN ('text_body', 'html_body')";
            assertThat(db.queryForLong(columns + " AND attcompression = 'l'")).isEqualTo(offered ? 2 : 0);
            assertThat(db.queryForLong(columns + " AND attcompression = ''")).isEqualTo(offered ? 0 : 2);
        }
    }
}
