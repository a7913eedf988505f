/**
 * Message parsing for sync and storage: typed headers, the MIME body structure, the text and
 * sanitised HTML of the body, attachment metadata and the problems met on the way. Parsing never
 * throws on bad mail and never drops a message: what cannot be decoded is kept raw and flagged.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.postroom.mime;
