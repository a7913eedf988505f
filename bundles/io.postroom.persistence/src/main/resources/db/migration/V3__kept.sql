-- Postroom schema, version 3: the keep setting (received, sent, both) a mailbox's folders were last
-- synchronised under. When the owner widens it (received -> both, ...), the next run goes through
-- the sync period again for what the old setting left out; null until the mailbox's first run.
ALTER TABLE sync_schedule ADD COLUMN kept VARCHAR(16);
