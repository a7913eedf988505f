/**
 * Encryption of credentials at rest. The key lives outside the database, in a file created on
 * first start; every node of a cluster must have the same key file.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.secrets;
