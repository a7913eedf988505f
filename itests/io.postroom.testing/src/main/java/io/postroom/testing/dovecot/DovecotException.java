package io.postroom.testing.dovecot;

/** Dovecot or doveadm failed; the message says what ran, what it printed, and where the log is. */
public class DovecotException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DovecotException(String message) {
        super(message);
    }

    public DovecotException(String message, Throwable cause) {
        super(message, cause);
    }
}
