package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import io.postroom.rest.internal.ApiServer.Reply;
import io.postroom.testing.fakes.InMemoryMailboxService;
import io.postroom.testing.fakes.InMemoryMessageService;
import io.postroom.testing.fakes.InMemoryMessageService.AttachmentSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The message routes over HTTP, downloads included: the real servlet against in-memory services. */
class MessageApiTest extends ApiFixture {
    private static final Instant DAY = Instant.parse("2026-11-20T09:30:00Z");
    /** Deadlock guard only (a servlet that buffers would keep the gate shut); never reached when the test passes. */
    private static final long GUARD_SECONDS = 60;

    private static List<Long> ids(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.forEach(m -> ids.add(m.get("id").asLong()));
        return ids;
    }

    private static byte[] bytes(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            return in.readAllBytes();
        }
    }

    private InMemoryMessageService.Opened lastOpened() {
        List<InMemoryMessageService.Opened> all = messages.opened();
        return all.get(all.size() - 1);
    }

    private static void assertClosed(InMemoryMessageService.Opened opened) throws InterruptedException {
        assertThat(opened.awaitClosed(GUARD_SECONDS)).as("the AttachmentContent was closed").isTrue();
    }

    // ---------------------------------------------------------------- lists

    @Test
    void listIsNewestFirstAndPagesWithTheCursorUntilItIsNull() {
        MailboxId id = connect("alice");
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(0, messages.draft(id).subject("Message " + i).date(DAY.plusSeconds(i)).store().summary().id().value());
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply r = api.send("GET", "/messages?mailbox=" + id + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), "alice", null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=utf-8");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            JsonNode page = r.json();
            assertThat(page.get("messages").size()).isLessThanOrEqualTo(2);
            seen.addAll(ids(page.get("messages")));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(stored);
    }

    @Test
    void summaryHasEveryField() {
        MailboxId id = connect("alice");
        long mid = messages.draft(id).subject("Invoice 42").from("Bob Sender", "bob@example.org").date(DAY)
                .folders("INBOX", "Archive").flag("\\Seen").flag("\\Flagged")
                .attachment("invoice.pdf", "application/pdf", AttachmentSource.bytes(new byte[] {1, 2, 3})).store().summary().id().value();
        JsonNode m = api.send("GET", "/messages?mailbox=" + id, "alice", null).json().at("/messages/0");
        assertThat(m.get("id").asLong()).isEqualTo(mid);
        assertThat(m.get("mailbox").asLong()).isEqualTo(id.value());
        assertThat(m.get("threadId").asLong()).isEqualTo(mid);
        assertThat(m.get("direction").asText()).isEqualTo("received");
        assertThat(m.at("/from/name").asText()).isEqualTo("Bob Sender");
        assertThat(m.at("/from/address").asText()).isEqualTo("bob@example.org");
        assertThat(m.at("/to/0/address").asText()).isEqualTo("alice@example.org");
        assertThat(m.get("subject").asText()).isEqualTo("Invoice 42");
        assertThat(m.get("preview").asText()).startsWith("Hello Alice");
        assertThat(m.get("date").asText()).isEqualTo("2026-11-20T09:30:00Z");
        assertThat(m.get("size").asLong()).isPositive();
        assertThat(m.get("flags").toString()).isEqualTo("[\"\\\\Flagged\",\"\\\\Seen\"]");
        assertThat(m.get("hasAttachments").asBoolean()).isTrue();
        assertThat(m.get("folders").toString()).isEqualTo("[\"INBOX\",\"Archive\"]");
        assertThat(m.get("deletedOnServer").asBoolean()).isFalse();
        assertThat(m.get("contentHidden").asBoolean()).isFalse();
    }

    @Test
    void listFiltersByMailboxAndFolderAndShowsOnlyVisibleMailboxes() {
        MailboxId alices = connect("alice");
        MailboxId bobs = connect("bob");
        long inbox = messages.draft(alices).store().summary().id().value();
        long sent = messages.draft(alices).sent().folders("Sent").store().summary().id().value();
        long bobsMessage = messages.draft(bobs).store().summary().id().value();

        assertThat(ids(api.send("GET", "/messages?mailbox=" + alices + "&folder=Sent", "alice", null).json().get("messages")))
                .containsExactly(sent);
        assertThat(ids(api.send("GET", "/messages?folder=INBOX&limit=200", "alice", null).json().get("messages")))
                .contains(inbox).doesNotContain(sent, bobsMessage);
        assertThat(ids(api.send("GET", "/messages?limit=200", "alice", null).json().get("messages"))).doesNotContain(bobsMessage);
        assertError(api.send("GET", "/messages?mailbox=" + bobs, "alice", null), 404, "mailbox_not_found");
        assertThat(api.send("GET", "/messages?mailbox=" + alices + "&folder=Sent", "alice", null).json()
                .at("/messages/0/direction").asText()).isEqualTo("sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0:limit", "limit=201:limit", "limit=x:limit", "limit=:limit", "limit=5&limit=6:limit",
            "mailbox=abc:mailbox", "mailbox=0:mailbox", "folder=IN%0D%0ABOX:folder", "folder=:folder",
            "cursor=has%20space:cursor", "cursor=%C3%A9:cursor", "cursor=bm90LWEtY3Vyc29y:cursor", "page=2:page",
            "Limit=5:Limit"})
    void badListQueryIs422NamingTheParameter(String testCase) {
        String query = testCase.substring(0, testCase.lastIndexOf(':'));
        String field = testCase.substring(testCase.lastIndexOf(':') + 1);
        Reply r = api.send("GET", "/messages?" + query, "alice", null);
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo(field);
    }

    @Test
    void longQueryValueIs422() {
        Reply r = api.send("GET", "/messages?folder=" + "x".repeat(QueryParameters.MAX_VALUE_LENGTH + 1), "alice", null);
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("folder");
    }

    // ---------------------------------------------------------------- one message, thread

    @Test
    void messageHasItsTextSanitisedHtmlAndAttachments() {
        MailboxId id = connect("alice");
        String html = "<p>Hello <b>Alice</b> &amp; <a href=\"https://example.org/\" rel=\"nofollow\">team</a></p>";
        Message stored = messages.draft(id).subject("Plan").cc("Carol", "carol@example.org").text("Hello Alice & team")
                .html(html).problem("UNKNOWN_CHARSET")
                .attachment("plan.pdf", "application/pdf", AttachmentSource.bytes(new byte[10])).store();
        Reply r = api.send("GET", "/messages/" + stored.summary().id(), "alice", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=utf-8");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.body()).doesNotContain("<p>Hello").contains("\\u003C").as("HTML is a JSON string, escaped, never markup");
        JsonNode m = r.json();
        assertThat(m.get("id").asLong()).isEqualTo(stored.summary().id().value());
        assertThat(m.get("subject").asText()).isEqualTo("Plan");
        assertThat(m.get("text").asText()).isEqualTo("Hello Alice & team");
        assertThat(m.get("html").asText()).isEqualTo(html);
        assertThat(m.at("/cc/0/address").asText()).isEqualTo("carol@example.org");
        assertThat(m.get("bcc").size()).isZero();
        assertThat(m.get("messageIdHeader").asText()).isEqualTo(stored.messageIdHeader());
        assertThat(m.get("problems").toString()).isEqualTo("[\"UNKNOWN_CHARSET\"]");
        JsonNode a = m.at("/attachments/0");
        assertThat(a.get("index").asInt()).isEqualTo(1);
        assertThat(a.get("fileName").asText()).isEqualTo("plan.pdf");
        assertThat(a.get("contentType").asText()).isEqualTo("application/pdf");
        assertThat(a.get("size").asLong()).isEqualTo(10);
        assertThat(a.get("inline").asBoolean()).isFalse();
        assertThat(a.get("contentId").isNull()).isTrue();
        assertThat(m.get("autoSubmitted").isNull()).isTrue();
    }

    @Test
    void privateMailboxHidesContentFromOthersButShowsThatMessagesExist() throws Exception {
        MailboxId id = connect("alice", InMemoryMailboxService.sharedWith(true, "bob"));
        long mid = messages.draft(id).subject("Salary").text("secret text")
                .attachment("payslip.pdf", "application/pdf", AttachmentSource.bytes(new byte[] {7})).store().summary().id().value();
        JsonNode asBob = api.send("GET", "/messages/" + mid, "bob", null).json();
        assertThat(asBob.get("contentHidden").asBoolean()).isTrue();
        assertThat(asBob.get("subject").isNull()).isTrue();
        assertThat(asBob.get("text").asText()).isEmpty();
        assertThat(asBob.get("attachments").size()).isZero();
        assertThat(asBob.toString()).doesNotContain("Salary", "secret text", "payslip");
        assertError(api.send("GET", "/messages/" + mid + "/attachments/1", "bob", null), 403, "access_denied");
        assertThat(api.send("GET", "/messages/" + mid, "alice", null).json().get("subject").asText()).isEqualTo("Salary");
    }

    @Test
    void threadIsOldestFirst() {
        MailboxId id = connect("alice");
        Message first = messages.draft(id).subject("Question").date(DAY).store();
        Message reply = messages.draft(id).subject("Re: Question").date(DAY.plusSeconds(60)).replyTo(first.summary().id()).store();
        messages.draft(id).subject("Other").date(DAY.plusSeconds(30)).store();
        JsonNode thread = api.send("GET", "/messages/" + reply.summary().id() + "/thread", "alice", null).json().get("messages");
        assertThat(ids(thread)).containsExactly(first.summary().id().value(), reply.summary().id().value());
    }

    @Test
    void unknownOrInvisibleMessageIs404AndBadIdIs422() {
        MailboxId bobs = connect("bob");
        long bobsMessage = messages.draft(bobs).store().summary().id().value();
        assertError(api.send("GET", "/messages/" + bobsMessage, "alice", null), 404, "message_not_found");
        assertError(api.send("GET", "/messages/" + bobsMessage + "/thread", "alice", null), 404, "message_not_found");
        assertError(api.send("GET", "/messages/" + bobsMessage + "/attachments/1", "alice", null), 404, "message_not_found");
        assertError(api.send("GET", "/messages/99999999", "alice", null), 404, "message_not_found");
        for (String bad : List.of("abc", "0", "-1", "1.5")) {
            Reply r = api.send("GET", "/messages/" + bad, "alice", null);
            assertError(r, 422, "invalid_input");
            assertThat(r.json().at("/error/details/field").asText()).isEqualTo("id");
        }
    }

    // ---------------------------------------------------------------- attachments

    @Test
    void attachmentIsADownloadWithSafeHeadersAndIsClosed() throws Exception {
        MailboxId id = connect("alice");
        byte[] content = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
        long mid = messages.draft(id)
                .attachment("page.html", "Text/HTML; charset=\"UTF-8\"; name=\"page.html\"", AttachmentSource.bytes(content))
                .store().summary().id().value();
        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(bytes(r)).isEqualTo(content);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"page.html\"; filename*=UTF-8''page.html");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).startsWith("sandbox"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertClosed(lastOpened());
    }

    @Test
    void tooManyDownloadsOfOneMailboxIs429WithRetryAfter() throws Exception {
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("a.bin", "application/octet-stream", AttachmentSource.bytes(new byte[] {1}))
                .store().summary().id().value();
        messages.failNextWith(new PostroomException(ErrorCode.TOO_MANY_DOWNLOADS, "Mailbox alice@example.org is already"
                + " streaming 4 attachments, as many as its mail server is asked to serve at once; try again when one of"
                + " them has finished.", Map.of("mailbox", id.value(), "limit", 4)));
        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue(String.valueOf(ApiServlet.BUSY_RETRY_SECONDS));
        assertThat(new String(bytes(r), StandardCharsets.UTF_8)).contains("\"too_many_downloads\"").contains("try again");
    }

    @Test
    void hostileFileNameIsEncodedAndCannotInjectHeaders() throws Exception {
        MailboxId id = connect("alice");
        String hostile = "evil\"\r\nSet-Cookie: session=stolen; x=\"naïve résumé €.pdf";
        long mid = messages.draft(id).attachment(hostile, "application/pdf\r\nX-Injected: yes", AttachmentSource.bytes(new byte[] {1}))
                .store().summary().id().value();
        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(200);
        bytes(r);
        assertThat(r.headers().map()).doesNotContainKey("set-cookie").doesNotContainKey("x-injected");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        List<String> dispositions = r.headers().allValues("Content-Disposition");
        assertThat(dispositions).hasSize(1);
        String d = dispositions.get(0);
        assertThat(d).doesNotContain("\r", "\n");
        String fallback = d.substring(d.indexOf("filename=\"") + 10, d.indexOf("\"; filename*="));
        assertThat(fallback).doesNotContain("\"", "\\").matches("[\\x20-\\x7e]+");
        String encoded = d.substring(d.indexOf("filename*=UTF-8''") + 17);
        assertThat(encoded).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]+");
        assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
                .isEqualTo("evil\"Set-Cookie: session=stolen; x=\"naïve résumé €.pdf");
        assertClosed(lastOpened());
    }

    @Test
    void largeAttachmentWithKnownLengthStreamsWithoutBeingBufferedWhole() throws Exception {
        long size = 4L * 1024 * 1024 + 17;
        CountDownLatch clientHasFirstBytes = new CountDownLatch(1);
        GatedStream[] stream = new GatedStream[1];
        AttachmentSource source = new AttachmentSource(() -> stream[0] = new GatedStream(size, 2 * 1024 * 1024, clientHasFirstBytes),
                OptionalLong.of(size));
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("big.bin", "application/octet-stream", source).store().summary().id().value();

        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(readAndCheck(r, clientHasFirstBytes)).isEqualTo(size);
        assertThat(stream[0].gateTimedOut).as("the client had bytes before the server read the whole attachment").isFalse();
        assertClosed(lastOpened());
    }

    @Test
    void largeAttachmentOfUnknownLengthIsChunked() throws Exception {
        long size = 3L * 1024 * 1024 + 5;
        CountDownLatch clientHasFirstBytes = new CountDownLatch(1);
        GatedStream[] stream = new GatedStream[1];
        AttachmentSource source = new AttachmentSource(() -> stream[0] = new GatedStream(size, 1024 * 1024, clientHasFirstBytes),
                OptionalLong.empty());
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("big.bin", null, source).store().summary().id().value();

        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(readAndCheck(r, clientHasFirstBytes)).isEqualTo(size);
        assertThat(stream[0].gateTimedOut).isFalse();
        assertClosed(lastOpened());
    }

    @Test
    void missingAttachmentIs404AndBadIndexIs422() {
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("a.txt", "text/plain", AttachmentSource.bytes(new byte[] {1})).store().summary().id().value();
        int opened = messages.opened().size();
        assertError(api.send("GET", "/messages/" + mid + "/attachments/2", "alice", null), 404, "attachment_not_found");
        for (String bad : List.of("0", "x", "-1")) {
            Reply r = api.send("GET", "/messages/" + mid + "/attachments/" + bad, "alice", null);
            assertError(r, 422, "invalid_input");
            assertThat(r.json().at("/error/details/field").asText()).isEqualTo("n");
        }
        assertThat(messages.opened()).hasSize(opened);
    }

    @Test
    void messageGoneFromServerIs502WithItsMessage() {
        MailboxId id = connect("alice");
        MessageId mid = messages.draft(id).attachment("a.txt", "text/plain", AttachmentSource.bytes(new byte[] {1})).store().summary().id();
        messages.goneFromServer(mid);
        Reply r = api.send("GET", "/messages/" + mid + "/attachments/1", "alice", null);
        assertError(r, 502, "message_gone_from_server");
        assertThat(r.json().at("/error/message").asText()).contains("no longer on the mail server");
        assertThat(r.header("Content-Disposition")).isNull();
        JsonNode m = api.send("GET", "/messages/" + mid, "alice", null).json();
        assertThat(m.get("deletedOnServer").asBoolean()).isTrue();
        assertThat(m.get("text").asText()).isNotEmpty();
    }

    @Test
    void failureBeforeTheFirstByteIsAJsonErrorAndTheContentIsClosed() throws Exception {
        MailboxId id = connect("alice");
        long mid = messages.draft(id)
                .attachment("gone.pdf", "application/pdf", AttachmentSource.failing(new PostroomException(
                        ErrorCode.MESSAGE_GONE_FROM_SERVER, "The message was deleted on the server meanwhile."), false))
                .attachment("moved.pdf", "application/pdf", AttachmentSource.failing(new PostroomException(
                        ErrorCode.ATTACHMENT_NOT_FOUND, "The part is not in the message any more."), true))
                .attachment("cut.pdf", "application/pdf", AttachmentSource.failing(new IllegalStateException("socket closed"), true))
                .store().summary().id().value();

        Reply gone = api.send("GET", "/messages/" + mid + "/attachments/1", "alice", null);
        assertError(gone, 502, "message_gone_from_server");
        assertThat(gone.json().at("/error/message").asText()).isEqualTo("The message was deleted on the server meanwhile.");
        assertThat(gone.header("Content-Disposition")).isNull();
        assertClosed(lastOpened());

        Reply moved = api.send("GET", "/messages/" + mid + "/attachments/2", "alice", null);
        assertError(moved, 404, "attachment_not_found");
        assertThat(moved.header("Content-Security-Policy")).isNull();
        assertClosed(lastOpened());

        Reply cut = api.send("GET", "/messages/" + mid + "/attachments/3", "alice", null);
        assertError(cut, 502, "connection_failed");
        assertThat(cut.body()).doesNotContain("socket closed");
        assertClosed(lastOpened());
    }

    @Test
    void failureAfterTheFirstByteAbortsTheDownloadAndClosesTheContent() throws Exception {
        long size = 1024 * 1024;
        AttachmentSource breaking = new AttachmentSource(() -> new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                if (position == size / 2) {
                    throw new IOException("connection reset by the mail server");
                }
                return InMemoryMessageService.generatedByte(position++) & 0xff;
            }
        }, OptionalLong.empty());
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("half.bin", "application/octet-stream", breaking).store().summary().id().value();
        HttpResponse<InputStream> r = api.open("/messages/" + mid + "/attachments/1", "alice");
        assertThat(r.statusCode()).isEqualTo(200);
        Throwable failure = catchThrowable(() -> bytes(r));
        assertThat(failure).as("a truncated download must not look complete").isInstanceOf(IOException.class);
        assertClosed(lastOpened());
    }

    @Test
    void aFailureWhileNothingReachedTheClientIsStillAJsonError() throws Exception {
        AttachmentSource tenBytesThenFailure = new AttachmentSource(() -> new InputStream() {
            private int position;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position > 0) {
                    throw new IOException("connection reset");
                }
                position = 10;
                return 10;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }
        }, OptionalLong.empty());
        MailboxId id = connect("alice");
        long mid = messages.draft(id).attachment("small.bin", "application/octet-stream", tenBytesThenFailure).store().summary().id().value();
        Reply r = api.send("GET", "/messages/" + mid + "/attachments/1", "alice", null);
        assertError(r, 502, "connection_failed");
        assertThat(r.header("Content-Disposition")).isNull();
        assertClosed(lastOpened());
    }

    @Test
    void aLengthTheServiceDoesNotKeepIsAnErrorNeverASilentlyWrongFile() throws Exception {
        MailboxId id = connect("alice");
        byte[] three = {1, 2, 3};
        long mid = messages.draft(id)
                .attachment("short.bin", null, new AttachmentSource(() -> new java.io.ByteArrayInputStream(three), OptionalLong.of(10)))
                .attachment("long.bin", null, new AttachmentSource(() -> new java.io.ByteArrayInputStream(three), OptionalLong.of(2)))
                .attachment("big.bin", null, new AttachmentSource(
                        () -> AttachmentSource.generated(1024 * 1024 + 1, false).opener().get(), OptionalLong.of(1024 * 1024)))
                .store().summary().id().value();
        assertError(api.send("GET", "/messages/" + mid + "/attachments/1", "alice", null), 500, "internal");
        assertClosed(lastOpened());
        assertError(api.send("GET", "/messages/" + mid + "/attachments/2", "alice", null), 500, "internal");
        assertClosed(lastOpened());
        HttpResponse<InputStream> big = api.open("/messages/" + mid + "/attachments/3", "alice");
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(catchThrowable(() -> bytes(big))).isInstanceOf(IOException.class);
        assertClosed(lastOpened());
    }

    // ---------------------------------------------------------------- without the message service

    @Test
    void withoutTheMessageServiceItsRoutesAre503AndTheRestStillWorks() {
        MailboxId id = connect("alice");
        long mid = messages.draft(id).store().summary().id().value();
        api.services(sync, null);
        for (String path : List.of("/messages", "/messages?mailbox=" + id, "/messages/" + mid, "/messages/" + mid + "/thread",
                "/messages/" + mid + "/attachments/1")) {
            Reply r = api.send("GET", path, "alice", null);
            assertError(r, 503, "unavailable");
            assertThat(r.json().at("/error/message").asText()).contains("message service");
        }
        assertThat(api.send("GET", "/mailboxes", "alice", null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/mailboxes/" + id + "/sync", "alice", null).status()).isEqualTo(200);
        api.services(sync, messages);
        assertThat(api.send("GET", "/messages/" + mid, "alice", null).status()).isEqualTo(200);
    }

    @Test
    void messageRoutesNeedCredentials() {
        assertError(api.send("GET", "/messages", null, null), 401, "unauthenticated");
        assertError(api.send("GET", "/messages/1/attachments/1", null, null), 401, "unauthenticated");
    }

    // ---------------------------------------------------------------- helpers

    /** Reads the download, opens the gate once the first bytes are in, and checks every byte. */
    private static long readAndCheck(HttpResponse<InputStream> r, CountDownLatch clientHasFirstBytes) throws IOException {
        long position = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != InMemoryMessageService.generatedByte(position)) {
                        throw new AssertionError("Byte " + position + " differs");
                    }
                    position++;
                }
                clientHasFirstBytes.countDown();
            }
        }
        return position;
    }

    /**
     * Generated bytes that stop at {@code gate} until the client has received its first bytes. A
     * servlet that read the whole attachment before sending would keep the client waiting, and
     * the gate would only open at the guard's end: {@link #gateTimedOut}.
     */
    static final class GatedStream extends InputStream {
        private final long size;
        private final long gate;
        private final CountDownLatch open;
        private long position;
        volatile boolean gateTimedOut;

        GatedStream(long size, long gate, CountDownLatch open) {
            this.size = size;
            this.gate = gate;
            this.open = open;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= size) {
                return -1;
            }
            if (position == gate) {
                try {
                    gateTimedOut = !open.await(GUARD_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            long end = position < gate ? Math.min(gate, size) : size;
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = InMemoryMessageService.generatedByte(position++);
            }
            return n;
        }
    }
}
