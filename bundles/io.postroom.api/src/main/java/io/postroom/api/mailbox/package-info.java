/**
 * Mailboxes: connecting an account (IMAP + SMTP), its settings, its life cycle. A <em>mailbox</em>
 * is one connected account; a <em>folder</em> is an IMAP mailbox on the server (INBOX, Sent, ...).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api.mailbox;
