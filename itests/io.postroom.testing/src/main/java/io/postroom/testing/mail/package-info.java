/**
 * Mail to test with: {@link io.postroom.testing.mail.MailGenerator} (deterministic, realistic,
 * streamed), {@link io.postroom.testing.mail.HostileMail} (broken on purpose) and
 * {@link io.postroom.testing.mail.Mail}, what fixtures store.
 */
package io.postroom.testing.mail;
