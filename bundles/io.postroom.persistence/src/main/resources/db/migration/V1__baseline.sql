-- Postroom schema, version 1. Written for both H2 2.x and PostgreSQL 12+.
CREATE TABLE postroom_node (
    node_id    VARCHAR(64) PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL
);
