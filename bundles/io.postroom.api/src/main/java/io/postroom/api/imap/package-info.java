/**
 * IMAP identifiers with their RFC names and rules (RFC 3501/9051, RFC 7162): never bare numbers.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api.imap;
