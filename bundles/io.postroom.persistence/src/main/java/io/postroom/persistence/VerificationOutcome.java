package io.postroom.persistence;

/** What {@link MailboxStore#attemptVerification} did. */
public sealed interface VerificationOutcome {

    /** The code matched: the mailbox is verified now and the code is gone. */
    record Verified(MailboxRecord mailbox) implements VerificationOutcome {
    }

    /** The code did not match; the attempt was counted. */
    record Wrong(int attemptsLeft) implements VerificationOutcome {
    }

    /** The maximum of wrong attempts is reached (now or before): only a new code helps. */
    record AttemptsExceeded() implements VerificationOutcome {
    }

    /** The code expired; nothing was counted. */
    record Expired() implements VerificationOutcome {
    }

    /** No code is pending for this mailbox. */
    record NoCode() implements VerificationOutcome {
    }
}
