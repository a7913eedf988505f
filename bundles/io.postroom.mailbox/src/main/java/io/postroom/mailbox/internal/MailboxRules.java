package io.postroom.mailbox.internal;

import io.postroom.mailbox.MailboxConnections;
import java.time.Duration;

/**
 * The configurable numbers of the mailbox rules.
 *
 * @param codeLifetime       how long a verification code is valid
 * @param maxCodeAttempts    wrong codes after which a new code is needed (5, as the product says)
 * @param deactivateAfter    consecutive connection failures that deactivate a mailbox
 */
record MailboxRules(Duration codeLifetime, int maxCodeAttempts, int deactivateAfter) {
    static final int MAX_CODE_ATTEMPTS = 5;
    static final MailboxRules DEFAULTS = new MailboxRules(Duration.ofMinutes(30), MAX_CODE_ATTEMPTS,
            MailboxConnections.DEFAULT_DEACTIVATE_AFTER_FAILURES);

    MailboxRules {
        if (codeLifetime.isNegative() || codeLifetime.isZero() || maxCodeAttempts < 1 || deactivateAfter < 1) {
            throw new IllegalArgumentException("mailbox rules must be positive");
        }
    }

    /**
     * The configuration's values, checked against the metatype's bounds.
     *
     * @throws IllegalArgumentException naming the property out of bounds and what it must be
     */
    static MailboxRules of(MailboxConfig config) {
        return new MailboxRules(Duration.ofMinutes(within("verificationCodeMinutes", config.verificationCodeMinutes(), 1440)),
                MAX_CODE_ATTEMPTS, within("deactivateAfterFailures", config.deactivateAfterFailures(), 1000));
    }

    private static int within(String property, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(property + " of " + MailboxConfig.PID + " must be between 1 and " + max
                    + ", not " + value);
        }
        return value;
    }
}
