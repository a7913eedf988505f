/**
 * Messages synchronised into the CRM: lists, one message with its text, threads, and attachments
 * streamed from the mail server when someone opens one. Visibility rules (the mailbox's
 * visibility and private flag) are enforced here for every caller.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.api.message;
