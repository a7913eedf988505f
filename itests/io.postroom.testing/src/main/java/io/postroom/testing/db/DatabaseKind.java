package io.postroom.testing.db;

/** The databases Postroom runs on, and so every store test runs on. */
public enum DatabaseKind {
    /** Embedded H2 2.x, in memory: the default database of a standalone Postroom. */
    H2,
    /** PostgreSQL 14 (embedded binaries, one server per test JVM): production. */
    POSTGRESQL
}
