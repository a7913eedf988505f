-- Test-only migration: a later version that adds a column and rewrites existing data.
ALTER TABLE mailbox ADD COLUMN upgrade_note VARCHAR(40) DEFAULT 'kept' NOT NULL;
UPDATE mailbox SET sender_name = sender_name || ' (migrated)';
