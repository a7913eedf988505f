/**
 * For Postroom's own engines (sync, sending) only: system calls about mailboxes that carry no
 * {@link io.postroom.api.Actor} and so check no access rights. Never expose them through REST, the
 * shell or host code; people act through {@link io.postroom.api.mailbox.MailboxService}.
 * {@link io.postroom.mailbox.MailboxAccess} gives the bundles that act for a person on a mailbox's
 * contents (messages) the mailbox service's rules of who acts and who sees a mailbox.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.postroom.mailbox;
