package io.postroom.rest.internal;

import static io.postroom.rest.internal.MailboxApi.secured;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncService;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sync routes: "download new messages now", status with progress, history and quarantine,
 * asked of the {@link SyncService} when it is there (503 {@code unavailable} otherwise).
 */
final class SyncApi {
    /** The query parameters of {@code GET /mailboxes/{id}/sync/runs}. */
    static final Set<String> RUNS_QUERY = Set.of("limit");
    static final int DEFAULT_RUNS = 20;
    static final int MAX_RUNS = 100;

    private final Supplier<SyncService> service;

    SyncApi(Supplier<SyncService> service) {
        this.service = service;
    }

    void addTo(Router<MailboxApi.Handler> router) {
        router.add("POST", "/mailboxes/{id}/sync", secured(this::syncNow))
                .add("GET", "/mailboxes/{id}/sync", secured(call -> {
                    MailboxId id = call.mailboxId();
                    return Response.ok(Views.syncStatus(sync().status(call.actor(), id)));
                }))
                .add("GET", "/mailboxes/{id}/sync/runs", secured(this::runs))
                .add("GET", "/mailboxes/{id}/sync/quarantine", secured(call -> {
                    MailboxId id = call.mailboxId();
                    return Response.ok(Views.quarantine(sync().quarantine(call.actor(), id)));
                }))
                .add("POST", "/mailboxes/{id}/sync/quarantine/retry", secured(this::retry))
                .add("GET", "/sync/quarantine", secured(call -> Response.ok(Views.quarantine(sync().quarantine(call.actor())))));
    }

    private Response syncNow(ApiCall call) {
        MailboxId id = call.mailboxId();
        call.optionalBody(Set.of());
        return Response.accepted(Views.syncStatus(sync().syncNow(call.actor(), id)), call.location("mailboxes/" + id + "/sync"));
    }

    private Response runs(ApiCall call) {
        MailboxId id = call.mailboxId();
        int limit = call.query(RUNS_QUERY).integer("limit", 1, MAX_RUNS, DEFAULT_RUNS);
        return Response.ok(Views.runs(sync().history(call.actor(), id, limit)));
    }

    private Response retry(ApiCall call) {
        MailboxId id = call.mailboxId();
        call.optionalBody(Set.of());
        return Response.ok(Views.syncStatus(sync().retryQuarantined(call.actor(), id)));
    }

    private SyncService sync() {
        SyncService sync = service.get();
        if (sync == null) {
            throw new PostroomException(ErrorCode.UNAVAILABLE,
                    "Synchronisation is not available on this server right now (the Postroom sync service is not running); "
                            + "try again later, or ask the administrator to install and start it.");
        }
        return sync;
    }
}
