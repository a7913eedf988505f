package io.postroom.mailbox.internal;

import io.postroom.api.UserId;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.persistence.MailboxRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts mailbox events (asynchronously) once the change is committed. */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final EventAdmin eventAdmin;

    Events(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /**
     * @param user who acted; null when Postroom acted by itself
     */
    void post(String topic, MailboxRecord m, UserId user, String reason, List<String> changed) {
        Map<String, Object> p = new HashMap<>();
        p.put(MailboxEvents.TENANT, m.tenant().value());
        if (user != null) {
            p.put(MailboxEvents.USER, user.value());
        }
        p.put(MailboxEvents.MAILBOX_ID, m.id());
        p.put(MailboxEvents.ADDRESS, m.address().value());
        p.put(MailboxEvents.OWNER, m.owner().value());
        if (reason != null) {
            p.put(MailboxEvents.REASON, reason);
        }
        if (changed != null) {
            p.put(MailboxEvents.CHANGED, changed.toArray(String[]::new));
        }
        try {
            eventAdmin.postEvent(new Event(topic, p));
        } catch (RuntimeException e) {
            // the change is committed; a lost notification must not turn it into an error
            LOG.warn("Could not post {} for mailbox {}: {}", topic, m.id(), e.toString());
        }
    }
}
