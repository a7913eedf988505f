/**
 * Databases for store tests: a fresh H2 or PostgreSQL database per test class
 * ({@link io.postroom.testing.db.TestDatabases}), pooled, with row counts for "nothing was saved"
 * assertions. Every store contract test runs on both kinds ({@link io.postroom.testing.db.DatabaseKind}).
 */
package io.postroom.testing.db;
