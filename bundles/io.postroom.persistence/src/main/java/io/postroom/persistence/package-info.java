/**
 * The store Postroom's services use: plain-Java interfaces and records. How they are kept (JPA,
 * SQL, migrations) is internal to this bundle; no JPA type crosses its boundary.
 */
@org.osgi.annotation.versioning.Version("2.0.0")
package io.postroom.persistence;
