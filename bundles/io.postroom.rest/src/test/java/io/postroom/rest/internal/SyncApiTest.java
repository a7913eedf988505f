package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncState;
import io.postroom.rest.internal.ApiServer.Reply;
import io.postroom.testing.fakes.InMemoryMailboxService;
import io.postroom.testing.fakes.InMemorySyncService;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sync routes over HTTP: the real servlet against in-memory services. */
class SyncApiTest extends ApiFixture {
    private static final Instant AT = Instant.parse("2026-11-20T09:30:00Z");

    // ---------------------------------------------------------------- sync now, status, history

    @Test
    void syncNowAnswers202WithTheQueuedStatusAndWhereToWatchIt() {
        MailboxId id = connect("alice");
        Reply r = api.send("POST", "/mailboxes/" + id + "/sync", "alice", null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.header("Location")).isEqualTo(ApiServlet.ROOT + "/mailboxes/" + id + "/sync");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=utf-8");
        JsonNode s = r.json();
        assertThat(s.get("mailbox").asLong()).isEqualTo(id.value());
        assertThat(s.get("state").asText()).isEqualTo("queued");
        assertThat(s.get("progress").isNull()).isTrue();
        assertThat(Instant.parse(s.get("nextRunAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(s.get("folders").isArray()).isTrue();
        assertThat(sync.syncRequests(id)).isEqualTo(1);
    }

    @Test
    void syncNowAcceptsAnEmptyObjectButNoFields() {
        MailboxId id = connect("alice");
        assertThat(api.send("POST", "/mailboxes/" + id + "/sync", "alice", "{}").status()).isEqualTo(202);
        Reply field = api.send("POST", "/mailboxes/" + id + "/sync", "alice", "{\"full\":true}");
        assertError(field, 422, "invalid_input");
        assertThat(field.json().at("/error/details/field").asText()).isEqualTo("full");
        assertThat(sync.syncRequests(id)).isEqualTo(1);
    }

    @Test
    void statusShowsProgressWhileRunningAndTheRunAfterwards() {
        MailboxId id = connect("alice");
        api.send("POST", "/mailboxes/" + id + "/sync", "alice", null);
        sync.start(id, 3, 450);
        sync.progress(id, 1, "Sent", 120);
        sync.folders(id, List.of(new FolderStatus("INBOX", 400, 380, AT, true, null),
                new FolderStatus("Sent", 50, 0, null, false, "NO [SERVERBUG] try later")));

        JsonNode running = api.send("GET", "/mailboxes/" + id + "/sync", "alice", null).json();
        assertThat(running.get("state").asText()).isEqualTo("running");
        JsonNode p = running.get("progress");
        assertThat(p.get("foldersDone").asInt()).isEqualTo(1);
        assertThat(p.get("foldersTotal").asInt()).isEqualTo(3);
        assertThat(p.get("currentFolder").asText()).isEqualTo("Sent");
        assertThat(p.get("messagesDone").asLong()).isEqualTo(120);
        assertThat(p.get("messagesEstimated").asLong()).isEqualTo(450);
        assertThat(p.get("node").asText()).isEqualTo(InMemorySyncService.NODE);
        assertThat(Instant.parse(p.get("startedAt").asText())).isNotNull();
        JsonNode inbox = running.at("/folders/0");
        assertThat(inbox.get("name").asText()).isEqualTo("INBOX");
        assertThat(inbox.get("messagesOnServer").asLong()).isEqualTo(400);
        assertThat(inbox.get("messagesStored").asLong()).isEqualTo(380);
        assertThat(inbox.get("lastSyncedAt").asText()).isEqualTo("2026-11-20T09:30:00Z");
        assertThat(inbox.get("backfillPending").asBoolean()).isTrue();
        assertThat(running.at("/folders/1/lastSyncedAt").isNull()).isTrue();
        assertThat(running.at("/folders/1/lastError").asText()).contains("SERVERBUG");

        sync.finish(id, SyncOutcome.SUCCEEDED, 450, null);
        JsonNode done = api.send("GET", "/mailboxes/" + id + "/sync", "alice", null).json();
        assertThat(done.get("state").asText()).isEqualTo("idle");
        assertThat(done.get("progress").isNull()).isTrue();
        assertThat(done.get("messagesDownloaded").asLong()).isEqualTo(450);
        assertThat(done.get("messagesAssigned").asLong()).isZero();
        assertThat(done.get("quarantined").asInt()).isZero();
        assertThat(done.get("lastError").isNull()).isTrue();
        assertThat(Instant.parse(done.get("lastFinishedAt").asText())).isAfterOrEqualTo(Instant.parse(done.get("lastStartedAt").asText()));

        JsonNode runs = api.send("GET", "/mailboxes/" + id + "/sync/runs", "alice", null).json().get("runs");
        assertThat(runs).hasSize(1);
        JsonNode run = runs.get(0);
        assertThat(run.get("trigger").asText()).isEqualTo("manual");
        assertThat(run.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.get("messagesStored").asLong()).isEqualTo(450);
        assertThat(run.get("node").asText()).isEqualTo(InMemorySyncService.NODE);
        assertThat(run.get("error").isNull()).isTrue();
    }

    @Test
    void runsAreNewestFirstAndLimited() {
        MailboxId id = connect("alice");
        for (int i = 1; i <= 3; i++) {
            sync.start(id, 1, 0);
            sync.finish(id, i == 2 ? SyncOutcome.FAILED : SyncOutcome.SUCCEEDED, i, i == 2 ? "The server did not answer" : null);
        }
        JsonNode all = api.send("GET", "/mailboxes/" + id + "/sync/runs", "alice", null).json().get("runs");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("messagesStored").asLong()).isEqualTo(3);
        assertThat(all.get(1).get("outcome").asText()).isEqualTo("failed");
        assertThat(all.get(1).get("error").asText()).isEqualTo("The server did not answer");
        JsonNode one = api.send("GET", "/mailboxes/" + id + "/sync/runs?limit=1", "alice", null).json().get("runs");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("id").asLong()).isEqualTo(all.get(0).get("id").asLong());
        assertThat(api.send("GET", "/mailboxes/" + id + "/sync/runs?limit=100", "alice", null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=-1", "limit=ten", "limit=", "limit=1&limit=2", "limit=99999999999", "lmit=5"})
    void badRunsQueryIs422NamingTheParameter(String query) {
        MailboxId id = connect("alice");
        Reply r = api.send("GET", "/mailboxes/" + id + "/sync/runs?" + query, "alice", null);
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo(query.startsWith("lmit") ? "lmit" : "limit");
        if (query.startsWith("lmit")) {
            assertThat(r.json().at("/error/details/allowed").toString()).isEqualTo("[\"limit\"]");
        }
    }

    @Test
    void badPercentEncodingIs400() throws Exception {
        MailboxId id = connect("alice");
        // java.net.URI refuses to build such a request: write it by hand
        try (Socket socket = new Socket(api.base().getHost(), api.base().getPort())) {
            socket.getOutputStream().write(("GET " + api.base().getPath() + "/mailboxes/" + id + "/sync/runs?limit=%zz HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: " + TestAuthenticator.basic("alice", "alice-secret") + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"malformed_request\"");
        }
    }

    // ---------------------------------------------------------------- who may

    @Test
    void anotherUsersMailboxIs404AndNothingIsQueued() {
        MailboxId bobs = connect("bob");
        assertError(api.send("POST", "/mailboxes/" + bobs + "/sync", "alice", null), 404, "mailbox_not_found");
        assertError(api.send("GET", "/mailboxes/" + bobs + "/sync", "alice", null), 404, "mailbox_not_found");
        assertError(api.send("GET", "/mailboxes/" + bobs + "/sync/runs", "alice", null), 404, "mailbox_not_found");
        assertError(api.send("GET", "/mailboxes/" + bobs + "/sync/quarantine", "alice", null), 404, "mailbox_not_found");
        assertError(api.send("POST", "/mailboxes/" + bobs + "/sync/quarantine/retry", "alice", null), 404, "mailbox_not_found");
        assertThat(sync.syncRequests(bobs)).isZero();
        assertThat(sync.state(bobs)).isEqualTo(SyncState.IDLE);
    }

    @Test
    void sharedUsersAndAdminsMaySyncNow() {
        MailboxId id = connect("alice", InMemoryMailboxService.sharedWith(false, "bob"));
        assertThat(api.send("POST", "/mailboxes/" + id + "/sync", "bob", null).status()).isEqualTo(202);
        assertThat(api.send("POST", "/mailboxes/" + id + "/sync", "admin", null).status()).isEqualTo(202);
        assertThat(sync.syncRequests(id)).isEqualTo(2);
    }

    @Test
    void syncNowWhileRunningIs409AndInactiveMailboxIs409() {
        MailboxId id = connect("alice");
        sync.start(id, 2, 10);
        Reply running = api.send("POST", "/mailboxes/" + id + "/sync", "alice", null);
        assertError(running, 409, "sync_already_running");
        assertThat(running.json().at("/error/details/node").asText()).isEqualTo(InMemorySyncService.NODE);
        sync.finish(id, SyncOutcome.SUCCEEDED, 10, null);

        mailboxes.deactivate(Actor.of("demo", "alice"), id, "holiday");
        assertError(api.send("POST", "/mailboxes/" + id + "/sync", "alice", null), 409, "mailbox_inactive");
        assertThat(api.send("GET", "/mailboxes/" + id + "/sync", "alice", null).json().get("state").asText()).isEqualTo("inactive");
        assertThat(sync.syncRequests(id)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-3"})
    void badMailboxIdIs422(String id) {
        Reply r = api.send("GET", "/mailboxes/" + id + "/sync", "alice", null);
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("id");
    }

    @Test
    void syncRoutesNeedCredentials() {
        MailboxId id = connect("alice");
        assertError(api.send("POST", "/mailboxes/" + id + "/sync", null, null), 401, "unauthenticated");
        assertError(api.send("GET", "/sync/quarantine", null, null), 401, "unauthenticated");
        assertThat(sync.syncRequests(id)).isZero();
    }

    // ---------------------------------------------------------------- 415: no cross-site "sync now"

    @ParameterizedTest
    @ValueSource(strings = {"", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"})
    void postWithoutJsonContentTypeIs415AndQueuesNothing(String contentType) {
        MailboxId id = connect("alice");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id + "/sync"))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"));
        if (!contentType.isEmpty()) {
            b.header("Content-Type", contentType);
        }
        Reply r = api.send(b.POST(contentType.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("a=b")).build());
        assertError(r, 415, "unsupported_media_type");
        assertThat(r.json().at("/error/message").asText()).contains("application/json");
        assertThat(sync.syncRequests(id)).isZero();
        Reply retry = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id + "/sync/quarantine/retry"))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertError(retry, 415, "unsupported_media_type");
        assertThat(sync.state(id)).isEqualTo(SyncState.IDLE);
    }

    // ---------------------------------------------------------------- quarantine

    @Test
    void quarantineOfAMailboxAndItsRetry() {
        MailboxId id = connect("alice");
        sync.quarantine(new QuarantinedMessage(id, "INBOX", 1700000000L, 4711, "BAD [PARSE] unexpected end of BODYSTRUCTURE",
                5, AT, true));
        JsonNode list = api.send("GET", "/mailboxes/" + id + "/sync/quarantine", "alice", null).json().get("messages");
        assertThat(list).hasSize(1);
        JsonNode q = list.get(0);
        assertThat(q.get("mailbox").asLong()).isEqualTo(id.value());
        assertThat(q.get("folder").asText()).isEqualTo("INBOX");
        assertThat(q.get("uidValidity").asLong()).isEqualTo(1700000000L);
        assertThat(q.get("uid").asLong()).isEqualTo(4711);
        assertThat(q.get("error").asText()).contains("BODYSTRUCTURE");
        assertThat(q.get("attempts").asInt()).isEqualTo(5);
        assertThat(q.get("lastAttemptAt").asText()).isEqualTo("2026-11-20T09:30:00Z");
        assertThat(q.get("givenUp").asBoolean()).isTrue();
        assertThat(api.send("GET", "/mailboxes/" + id + "/sync", "alice", null).json().get("quarantined").asInt()).isEqualTo(1);

        Reply retry = api.send("POST", "/mailboxes/" + id + "/sync/quarantine/retry", "alice", null);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().get("state").asText()).isEqualTo("queued");
        assertThat(api.send("GET", "/mailboxes/" + id + "/sync/quarantine", "alice", null).json()
                .at("/messages/0/givenUp").asBoolean()).isFalse();
    }

    @Test
    void tenantQuarantineIsForAdminsOnly() {
        MailboxId alices = connect("alice");
        MailboxId carols = connect("carol");
        sync.quarantine(new QuarantinedMessage(alices, "INBOX", 1, 10, "broken", 1, AT, false));
        sync.quarantine(new QuarantinedMessage(carols, "Sent", 2, 20, "broken too", 2, AT, false));
        Reply admin = api.send("GET", "/sync/quarantine", "admin", null);
        assertThat(admin.status()).isEqualTo(200);
        List<Long> ids = new java.util.ArrayList<>();
        admin.json().get("messages").forEach(m -> ids.add(m.get("mailbox").asLong()));
        assertThat(ids).contains(alices.value(), carols.value());
        assertError(api.send("GET", "/sync/quarantine", "alice", null), 403, "access_denied");
    }

    // ---------------------------------------------------------------- without the sync service

    @Test
    void withoutTheSyncServiceItsRoutesAre503AndTheRestStillWorks() {
        MailboxId id = connect("alice");
        api.services(null, messages);
        for (String[] route : new String[][] {{"POST", "/mailboxes/" + id + "/sync"}, {"GET", "/mailboxes/" + id + "/sync"},
                {"GET", "/mailboxes/" + id + "/sync/runs"}, {"GET", "/mailboxes/" + id + "/sync/quarantine"},
                {"POST", "/mailboxes/" + id + "/sync/quarantine/retry"}, {"GET", "/sync/quarantine"}}) {
            Reply r = api.send(route[0], route[1], "admin", null);
            assertError(r, 503, "unavailable");
            assertThat(r.json().at("/error/message").asText()).contains("sync");
        }
        assertThat(api.send("GET", "/mailboxes/" + id, "alice", null).status()).isEqualTo(200);
        assertThat(sync.syncRequests(id)).isZero();

        api.services(sync, messages); // the service comes back: no restart needed
        assertThat(api.send("POST", "/mailboxes/" + id + "/sync", "alice", null).status()).isEqualTo(202);
    }

    @Test
    void serviceFailuresMapByCategory() {
        MailboxId id = connect("alice");
        sync.failNextWith(new PostroomException(ErrorCode.UNAVAILABLE, "The database is down; try again later."));
        Reply r = api.send("GET", "/mailboxes/" + id + "/sync", "alice", null);
        assertError(r, 503, "unavailable");
        assertThat(r.json().at("/error/message").asText()).isEqualTo("The database is down; try again later.");
    }
}
