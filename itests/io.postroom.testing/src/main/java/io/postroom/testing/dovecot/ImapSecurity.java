package io.postroom.testing.dovecot;

/** How a client reaches the test Dovecot. */
public enum ImapSecurity {
    /** Plain IMAP on {@link Dovecot#imapPort()}, no TLS (allowed: loopback only). */
    PLAIN,
    /** IMAP on {@link Dovecot#imapPort()}, upgraded with STARTTLS (required). */
    STARTTLS,
    /** Implicit TLS on {@link Dovecot#imapsPort()}. */
    IMAPS
}
