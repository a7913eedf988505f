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

    static MailboxRules of(MailboxConfig config) {
        return new MailboxRules(Duration.ofMinutes(Math.max(1, config.verificationCodeMinutes())), MAX_CODE_ATTEMPTS,
                Math.max(1, config.deactivateAfterFailures()));
    }
}
