package io.postroom.mailbox.internal;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.persistence.FailureOutcome;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure counter of each mailbox, fed by tests, verification sends and the engines alike:
 * the failure that reaches the limit deactivates the mailbox and posts DEACTIVATED without a user.
 */
final class Health {
    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    private final MailboxStore store;
    private final Events events;
    private final MailboxRules rules;
    private final Clock clock;

    Health(MailboxStore store, Events events, MailboxRules rules, Clock clock) {
        this.store = store;
        this.events = events;
        this.rules = rules;
        this.clock = clock;
    }

    FailureOutcome failed(long id, ConnectionFailure failure) {
        FailureOutcome o = store.recordConnectionFailure(id, failure.describe(), rules.deactivateAfter(), clock.instant());
        MailboxRecord m = o.mailbox();
        if (o.deactivatedNow()) {
            LOG.warn("Mailbox {} ({}) deactivated after {} consecutive connection failures: {}", m.id(), m.address(),
                    m.consecutiveFailures(), m.inactiveReason());
            events.post(MailboxEvents.DEACTIVATED, m, null, m.inactiveReason(), null);
        } else {
            LOG.info("Mailbox {} ({}): connection failure {} of {}: {}", m.id(), m.address(), m.consecutiveFailures(),
                    rules.deactivateAfter(), failure.describe());
        }
        return o;
    }

    MailboxRecord succeeded(long id) {
        return store.recordConnectionSuccess(id);
    }
}
