-- Counterpart of postgresql/V4__message_text_lz4.sql, which chooses how PostgreSQL compresses the
-- message text. H2 stores it as it is (page compression measured 25 % slower, docs/benchmarks.md):
-- nothing to change, so both databases end at schema version 4.
SELECT 1;
