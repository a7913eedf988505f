/**
 * Synchronisation of mailboxes into the CRM: "sync now", progress, status, history and the
 * quarantine of messages that could not be stored.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api.sync;
