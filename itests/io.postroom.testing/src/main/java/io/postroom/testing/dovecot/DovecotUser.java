package io.postroom.testing.dovecot;

/**
 * A user of a test Dovecot: log in with {@code name} and {@code password}.
 */
public record DovecotUser(String name, String password) {

    @Override
    public String toString() {
        // the password stays out of test output
        return "DovecotUser[" + name + "]";
    }
}
