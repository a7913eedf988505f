package io.postroom.mailbox.internal;

import io.postroom.mailbox.MailboxConnections;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = MailboxConfig.PID, name = "Postroom mailboxes",
        description = "Verification codes and automatic deactivation of mailboxes that keep failing.")
public @interface MailboxConfig {
    String PID = "io.postroom.mailbox";

    @AttributeDefinition(name = "Verification code lifetime (minutes)",
            description = "How long a code sent to confirm a mailbox's address stays valid.", min = "1", max = "1440")
    int verificationCodeMinutes() default 30;

    @AttributeDefinition(name = "Failures before deactivation",
            description = "Consecutive failed connections (sync, sending, tests) after which a mailbox is deactivated.",
            min = "1", max = "1000")
    int deactivateAfterFailures() default MailboxConnections.DEFAULT_DEACTIVATE_AFTER_FAILURES;
}
