-- Postroom schema, version 1. Runs unchanged on H2 2.2 and PostgreSQL 14+; a statement that must
-- differ goes to db/vendor/h2 and db/vendor/postgresql with a version of its own (see SchemaMigrator).
-- Ids come from sequences (INCREMENT BY = the entities' allocationSize, so batches need one
-- round trip per 50 rows); START WITH 50 gives EclipseLink the first block 1..50.

CREATE TABLE postroom_node (
    node_id    VARCHAR(64) PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE SEQUENCE mailbox_seq START WITH 50 INCREMENT BY 50;

-- One connected account. active_address_key is the lower-case address while the mailbox is
-- active and NULL while it is inactive: the unique constraint then holds among active mailboxes
-- only (NULLs are distinct on both databases), and the check keeps the column honest.
CREATE TABLE mailbox (
    id                   BIGINT        NOT NULL PRIMARY KEY,
    row_version          BIGINT        NOT NULL,
    tenant_id            VARCHAR(128)  NOT NULL,
    owner_id             VARCHAR(128)  NOT NULL,
    address              VARCHAR(254)  NOT NULL,
    address_key          VARCHAR(254)  NOT NULL,
    active_address_key   VARCHAR(254),
    preset               VARCHAR(32)   NOT NULL,
    username             VARCHAR(320)  NOT NULL,
    sealed_password      VARCHAR(4000) NOT NULL,
    imap_host            VARCHAR(253)  NOT NULL,
    imap_port            INTEGER       NOT NULL,
    imap_security        VARCHAR(16)   NOT NULL,
    smtp_host            VARCHAR(253)  NOT NULL,
    smtp_port            INTEGER       NOT NULL,
    smtp_security        VARCHAR(16)   NOT NULL,
    sender_name          VARCHAR(200)  NOT NULL,
    name_template        VARCHAR(200)  NOT NULL,
    access_level         VARCHAR(16)   NOT NULL,
    visibility           VARCHAR(32)   NOT NULL,
    private_messages     BOOLEAN       NOT NULL,
    crm_linking          BOOLEAN       NOT NULL,
    keep_policy          VARCHAR(16)   NOT NULL,
    sync_period          VARCHAR(16)   NOT NULL,
    state                VARCHAR(16)   NOT NULL,
    inactive_reason      VARCHAR(1000),
    verified             BOOLEAN       NOT NULL,
    consecutive_failures INTEGER       NOT NULL,
    last_failure         VARCHAR(2000),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT mailbox_active_address_uq UNIQUE (tenant_id, active_address_key),
    CONSTRAINT mailbox_state_ck CHECK (state IN ('ACTIVE', 'INACTIVE')),
    CONSTRAINT mailbox_active_key_ck CHECK (
        (state = 'ACTIVE' AND active_address_key IS NOT NULL AND active_address_key = address_key)
        OR (state = 'INACTIVE' AND active_address_key IS NULL)),
    CONSTRAINT mailbox_ports_ck CHECK (imap_port BETWEEN 1 AND 65535 AND smtp_port BETWEEN 1 AND 65535),
    CONSTRAINT mailbox_failures_ck CHECK (consecutive_failures >= 0)
);
CREATE INDEX mailbox_tenant_owner_ix ON mailbox (tenant_id, owner_id);
CREATE INDEX mailbox_state_ix ON mailbox (state);

-- Users a shared mailbox is granted to.
CREATE TABLE mailbox_share (
    mailbox_id BIGINT       NOT NULL,
    user_id    VARCHAR(128) NOT NULL,
    CONSTRAINT mailbox_share_pk PRIMARY KEY (mailbox_id, user_id),
    CONSTRAINT mailbox_share_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);
CREATE INDEX mailbox_share_user_ix ON mailbox_share (user_id);

-- Users who may send from a mailbox besides its owner (none: everyone with access).
CREATE TABLE mailbox_allowed_sender (
    mailbox_id BIGINT       NOT NULL,
    user_id    VARCHAR(128) NOT NULL,
    CONSTRAINT mailbox_allowed_sender_pk PRIMARY KEY (mailbox_id, user_id),
    CONSTRAINT mailbox_allowed_sender_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);

-- Folders (IMAP mailboxes on the server) to synchronise, in the owner's order. No key on
-- (mailbox_id, folder_order): a reorder renumbers rows one by one and passes through duplicates.
CREATE TABLE mailbox_folder (
    mailbox_id   BIGINT        NOT NULL,
    folder_order INTEGER       NOT NULL,
    folder_name  VARCHAR(1000) NOT NULL,
    CONSTRAINT mailbox_folder_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);
CREATE INDEX mailbox_folder_mailbox_ix ON mailbox_folder (mailbox_id);

-- The pending verification code of a mailbox: a salted hash, never the code.
CREATE TABLE mailbox_verification (
    mailbox_id      BIGINT       NOT NULL PRIMARY KEY,
    code_hash       VARCHAR(128) NOT NULL,
    salt            VARCHAR(64)  NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    failed_attempts INTEGER      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT mailbox_verification_mailbox_fk FOREIGN KEY (mailbox_id) REFERENCES mailbox (id) ON DELETE CASCADE
);

-- One row per user Postroom has seen: the user's default mailbox for sending, and the row that
-- serialises plan-limit checks (SELECT ... FOR UPDATE) so two concurrent creates cannot both pass.
CREATE TABLE postroom_user (
    tenant_id          VARCHAR(128) NOT NULL,
    user_id            VARCHAR(128) NOT NULL,
    default_mailbox_id BIGINT,
    CONSTRAINT postroom_user_pk PRIMARY KEY (tenant_id, user_id),
    CONSTRAINT postroom_user_default_fk FOREIGN KEY (default_mailbox_id) REFERENCES mailbox (id) ON DELETE SET NULL
);
CREATE INDEX postroom_user_default_ix ON postroom_user (default_mailbox_id);
