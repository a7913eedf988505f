-- The message text (message_body) is the one large value of a stored message; PostgreSQL compresses
-- it into TOAST when a row passes about 2 KB. Its default method, pglz, took about 40 % of the
-- server's CPU during an initial sync (perf, docs/benchmarks.md); lz4 compresses the same text to
-- about the same size for a third of the CPU (0.19 -> 0.07 ms per message body in a separate test).
-- lz4 exists from PostgreSQL 14 on, when the server was built with it (the PGDG and distribution
-- packages are; the embedded server of the tests is not): where it is not offered, the columns keep
-- the server's default. Only rows written from now on use it; rows already stored stay readable as
-- they are. A dump of this database restored into a server without lz4 needs
-- pg_dump/pg_restore --no-toast-compression.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE message_body
            ALTER COLUMN text_body SET COMPRESSION lz4,
            ALTER COLUMN html_body SET COMPRESSION lz4;
    END IF;
END
$$;
