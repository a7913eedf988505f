/**
 * A private Dovecot for tests: {@link io.postroom.testing.dovecot.Dovecot} (lifecycle, users,
 * doveadm operations), {@link io.postroom.testing.dovecot.DovecotExtension} and
 * {@link io.postroom.testing.dovecot.EnabledIfDovecot} for JUnit 5.
 */
package io.postroom.testing.dovecot;
