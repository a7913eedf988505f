-- Postroom schema, version 2: synchronised messages and the sync's own bookkeeping (schedule with
-- the cluster lease, folder checkpoints, quarantine, run history). Runs unchanged on H2 2.2 and
-- PostgreSQL 14+. Written by plain JDBC batches (io.postroom.persistence.internal.Jdbc*), not by
-- JPA: ids come from sequences fetched a block per batch.
-- Unbounded text is VARCHAR without a length (PostgreSQL: like TEXT; H2: up to 1e9 characters).

ALTER TABLE postroom_node ADD COLUMN last_seen TIMESTAMP WITH TIME ZONE;

CREATE SEQUENCE folder_state_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE message_seq START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE sync_run_seq START WITH 1 INCREMENT BY 1;

-- One synchronised folder (IMAP mailbox on the server) of a mailbox and how far the sync got.
-- Everything with UID > high_uid is new; below low_uid is older mail not yet stored (backfill).
-- complete_since: every message with an internal date on or after it is stored (or deliberately
-- skipped or quarantined); null until the first sync of the folder finished.
CREATE TABLE folder_state (
    id                 BIGINT        NOT NULL PRIMARY KEY,
    mailbox_id         BIGINT        NOT NULL,
    name               VARCHAR(1000) NOT NULL,
    special_use        VARCHAR(16),
    uid_validity       BIGINT,
    uid_next           BIGINT,
    high_uid           BIGINT,
    low_uid            BIGINT,
    highest_modseq     BIGINT,
    messages_on_server BIGINT        NOT NULL,
    complete_since     TIMESTAMP WITH TIME ZONE,
    last_synced_at     TIMESTAMP WITH TIME ZONE,
    last_error         VARCHAR(2000),
    CONSTRAINT folder_state_name_uq UNIQUE (mailbox_id, name),
    CONSTRAINT folder_state_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);

-- One message of a mailbox, however many folders hold it. message_key is the Message-ID in angle
-- brackets (a hash of it when very long), or 'fp:' and the header fingerprint when there is none:
-- the unique key makes "one record per message" hold even when two nodes overlap.
-- thread_id is the id of a message of the conversation (the smallest when threads merged).
CREATE TABLE message (
    id                 BIGINT        NOT NULL PRIMARY KEY,
    tenant_id          VARCHAR(128)  NOT NULL,
    mailbox_id         BIGINT        NOT NULL,
    message_key        VARCHAR(300)  NOT NULL,
    message_id_hdr     VARCHAR(1000),
    fingerprint        VARCHAR(128)  NOT NULL,
    thread_id          BIGINT        NOT NULL,
    direction          VARCHAR(8)    NOT NULL,
    subject            VARCHAR(4000),
    normalized_subject VARCHAR(1000),
    from_name          VARCHAR(1000),
    from_address       VARCHAR(1000),
    sent_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    internal_date      TIMESTAMP WITH TIME ZONE,
    size               BIGINT        NOT NULL,
    has_attachments    BOOLEAN       NOT NULL,
    auto_submitted     VARCHAR(200),
    list_id            VARCHAR(1000),
    preview            VARCHAR(400),
    problems           VARCHAR(1000),
    deleted_on_server  BOOLEAN       NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT message_key_uq UNIQUE (mailbox_id, message_key),
    CONSTRAINT message_direction_ck CHECK (direction IN ('RECEIVED', 'SENT')),
    CONSTRAINT message_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);
CREATE INDEX message_list_ix ON message (mailbox_id, sent_at DESC, id DESC);
CREATE INDEX message_thread_ix ON message (thread_id);

-- Text and sanitised HTML, apart so that lists stay lean.
CREATE TABLE message_body (
    message_id BIGINT  NOT NULL PRIMARY KEY,
    text_body  VARCHAR,
    html_body  VARCHAR,
    CONSTRAINT message_body_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);

-- Where a message is on the server: (folder, UID) under the folder's UIDVALIDITY.
CREATE TABLE message_location (
    folder_id    BIGINT        NOT NULL,
    uid          BIGINT        NOT NULL,
    uid_validity BIGINT        NOT NULL,
    message_id   BIGINT        NOT NULL,
    flags        VARCHAR(2000) NOT NULL,
    modseq       BIGINT,
    CONSTRAINT message_location_pk PRIMARY KEY (folder_id, uid),
    CONSTRAINT message_location_folder_fk FOREIGN KEY (folder_id) REFERENCES folder_state (id) ON DELETE CASCADE,
    CONSTRAINT message_location_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);
CREATE INDEX message_location_message_ix ON message_location (message_id);

-- From, Sender, To, Cc, Bcc, Reply-To in header order; address_key (lower case) is what linking matches.
CREATE TABLE message_address (
    message_id  BIGINT        NOT NULL,
    kind        VARCHAR(10)   NOT NULL,
    position    INTEGER       NOT NULL,
    name        VARCHAR(1000),
    address     VARCHAR(1000),
    address_key VARCHAR(1000),
    CONSTRAINT message_address_pk PRIMARY KEY (message_id, kind, position),
    CONSTRAINT message_address_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);
CREATE INDEX message_address_key_ix ON message_address (address_key);

-- In-Reply-To and References ids (ref_key in the form of message.message_key): threading.
CREATE TABLE message_ref (
    message_id BIGINT        NOT NULL,
    kind       VARCHAR(12)   NOT NULL,
    position   INTEGER       NOT NULL,
    mailbox_id BIGINT        NOT NULL,
    ref_key    VARCHAR(300)  NOT NULL,
    ref_id     VARCHAR(1000) NOT NULL,
    CONSTRAINT message_ref_pk PRIMARY KEY (message_id, kind, position),
    CONSTRAINT message_ref_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);
CREATE INDEX message_ref_key_ix ON message_ref (mailbox_id, ref_key);

-- Attachments as the body structure describes them; their content stays on the server.
CREATE TABLE attachment (
    message_id        BIGINT        NOT NULL,
    idx               INTEGER       NOT NULL,
    part              VARCHAR(200)  NOT NULL,
    file_name         VARCHAR(1000),
    content_type      VARCHAR(255)  NOT NULL,
    size              BIGINT        NOT NULL,
    inline_part       BOOLEAN       NOT NULL,
    content_id        VARCHAR(1000),
    transfer_encoding VARCHAR(64),
    CONSTRAINT attachment_pk PRIMARY KEY (message_id, idx),
    CONSTRAINT attachment_message_fk FOREIGN KEY (message_id) REFERENCES message (id) ON DELETE CASCADE
);

-- Messages the sync could not fetch or store: retried a bounded number of times, then given up.
CREATE TABLE quarantine (
    mailbox_id      BIGINT        NOT NULL,
    folder_name     VARCHAR(1000) NOT NULL,
    uid_validity    BIGINT        NOT NULL,
    uid             BIGINT        NOT NULL,
    error           VARCHAR(2000) NOT NULL,
    attempts        INTEGER       NOT NULL,
    first_failed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    given_up        BOOLEAN       NOT NULL,
    CONSTRAINT quarantine_pk PRIMARY KEY (mailbox_id, folder_name, uid_validity, uid),
    CONSTRAINT quarantine_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);

-- When each mailbox syncs next and which node holds it. The lease is compared with the database
-- clock only; lease_epoch grows with every claim and fences writes of a node that lost it.
CREATE TABLE sync_schedule (
    mailbox_id             BIGINT       NOT NULL PRIMARY KEY,
    tenant_id              VARCHAR(128) NOT NULL,
    next_due               TIMESTAMP WITH TIME ZONE NOT NULL,
    interval_seconds       BIGINT       NOT NULL,
    pending_trigger        VARCHAR(16),
    backfill_pending       BOOLEAN      NOT NULL,
    lease_owner            VARCHAR(128),
    lease_kind             VARCHAR(16),
    lease_expires          TIMESTAMP WITH TIME ZONE,
    lease_epoch            BIGINT       NOT NULL,
    failures               INTEGER      NOT NULL,
    run_id                 BIGINT,
    last_started_at        TIMESTAMP WITH TIME ZONE,
    last_finished_at       TIMESTAMP WITH TIME ZONE,
    last_outcome           VARCHAR(16),
    last_error             VARCHAR(2000),
    progress_folders_done  INTEGER,
    progress_folders_total INTEGER,
    progress_folder        VARCHAR(1000),
    progress_done          BIGINT,
    progress_estimated     BIGINT,
    progress_started_at    TIMESTAMP WITH TIME ZONE,
    progress_node          VARCHAR(128),
    progress_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT sync_schedule_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);
CREATE INDEX sync_schedule_due_ix ON sync_schedule (next_due);

-- Past and running syncs; the last few per mailbox are kept.
CREATE TABLE sync_run (
    id              BIGINT       NOT NULL PRIMARY KEY,
    mailbox_id      BIGINT       NOT NULL,
    run_trigger     VARCHAR(16)  NOT NULL,
    node            VARCHAR(128) NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    outcome         VARCHAR(16),
    messages_stored BIGINT       NOT NULL,
    flag_changes    BIGINT       NOT NULL,
    expunged        BIGINT       NOT NULL,
    quarantined     INTEGER      NOT NULL,
    error           VARCHAR(2000),
    CONSTRAINT sync_run_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);
CREATE INDEX sync_run_mailbox_ix ON sync_run (mailbox_id, id);
