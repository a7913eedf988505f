package io.postroom.sync.internal;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.TenantId;
import io.postroom.api.message.MessageEvents;
import io.postroom.api.sync.SyncEvents;
import io.postroom.api.sync.SyncOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts the sync's events after commit; a lost notification never fails the sync. */
final class SyncEventPoster {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEventPoster.class);

    private final EventAdmin eventAdmin;

    SyncEventPoster(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /** {@code postroom/message/STORED} for one committed batch. */
    void stored(TenantId tenant, long mailboxId, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(MessageEvents.TENANT, tenant.value());
        p.put(MessageEvents.MAILBOX_ID, mailboxId);
        p.put(MessageEvents.MESSAGE_IDS, ids.stream().mapToLong(Long::longValue).toArray());
        p.put(MessageEvents.COUNT, ids.size());
        post(MessageEvents.STORED, p);
    }

    /** {@code postroom/sync/COMPLETED} or {@code FAILED} for a run. */
    void finished(TenantId tenant, long mailboxId, long runId, SyncOutcome outcome, long stored, String error,
                  ConnectionFailure failure) {
        Map<String, Object> p = new HashMap<>();
        if (tenant != null) {
            p.put(SyncEvents.TENANT, tenant.value());
        }
        p.put(SyncEvents.MAILBOX_ID, mailboxId);
        p.put(SyncEvents.RUN_ID, runId);
        p.put(SyncEvents.OUTCOME, outcome.name());
        p.put(SyncEvents.MESSAGES_STORED, stored);
        boolean ok = outcome == SyncOutcome.SUCCEEDED || outcome == SyncOutcome.PARTIAL;
        if (!ok) {
            if (error != null) {
                p.put(SyncEvents.ERROR, error);
            }
            if (failure != null) {
                p.put(SyncEvents.FAILURE_KIND, failure.kind().name());
            }
        }
        post(ok ? SyncEvents.COMPLETED : SyncEvents.FAILED, p);
    }

    private void post(String topic, Map<String, Object> properties) {
        if (eventAdmin == null) {
            return;
        }
        try {
            eventAdmin.postEvent(new Event(topic, properties));
        } catch (RuntimeException e) {
            LOG.warn("Could not post {}: {}", topic, e.toString());
        }
    }
}
