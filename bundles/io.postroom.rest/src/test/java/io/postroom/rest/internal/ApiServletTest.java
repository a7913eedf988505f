package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.postroom.api.ErrorCategory;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.rest.internal.ApiServer.Reply;
import io.postroom.testing.fakes.InMemoryMailboxService;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real servlet over HTTP, against an in-memory service and a host-style authenticator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServletTest {
    private static final String PASSWORD = "Pa55-word-never-shown";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final InMemoryMailboxService service = new InMemoryMailboxService();
    private final TestAuthenticator authenticator = new TestAuthenticator();
    private ApiServer api;

    @BeforeAll
    void start() throws Exception {
        api = new ApiServer(service, authenticator);
    }

    @AfterAll
    void noPasswordInAnyResponse() throws Exception {
        try {
            List<Reply> replies = api.replies();
            assertThat(replies).hasSizeGreaterThan(40);
            for (Reply r : replies) {
                assertThat(r.body()).doesNotContain(PASSWORD).doesNotContain("alice-secret").doesNotContain("new-Pa55");
                if (r.body().startsWith("{")) {
                    assertThat(keys(r.json())).as("keys of %s", r.body()).doesNotContain("password");
                }
            }
        } finally {
            api.close();
        }
    }

    @BeforeEach
    void reset() {
        service.serversDown(false);
        service.failNextWith(null);
    }

    // ---------------------------------------------------------------- helpers

    private static String uniqueAddress(String user) {
        return user + SEQ.incrementAndGet() + "@example.org";
    }

    private static String gmail(String address) {
        return "{\"preset\":\"gmail\",\"address\":\"" + address + "\",\"password\":\"" + PASSWORD + "\"}";
    }

    private long create(String user) {
        Reply r = api.send("POST", "/mailboxes", user, gmail(uniqueAddress(user)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                keys.add(f.getKey());
                keys.addAll(keys(f.getValue()));
            }
        } else if (node.isArray()) {
            node.forEach(n -> keys.addAll(keys(n)));
        }
        return keys;
    }

    private static void assertError(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
        assertThat(r.json().path("error").path("details").isObject()).isTrue();
    }

    // ---------------------------------------------------------------- presets and probe

    @Test
    void presetsAreListedWithCustomLast() {
        Reply r = api.send("GET", "/presets", "alice", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode presets = r.json().get("presets");
        assertThat(presets.get(0).get("id").asText()).isEqualTo("gmail");
        assertThat(presets.get(0).get("imap").get("security").asText()).isEqualTo("ssl");
        assertThat(presets.get(0).get("smtp").get("port").asInt()).isEqualTo(465);
        JsonNode custom = presets.get(presets.size() - 1);
        assertThat(custom.get("id").asText()).isEqualTo("custom");
        assertThat(custom.get("custom").asBoolean()).isTrue();
        assertThat(custom.get("imap").isNull()).isTrue();
    }

    @Test
    void probeListsFoldersAndSavesNothing() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes/probe", "alice", gmail("alice@gmail.com"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.at("/connection/imap/host").asText()).isEqualTo("imap.gmail.com");
        assertThat(json.at("/connection/username").asText()).isEqualTo("alice@gmail.com");
        assertThat(json.at("/folders/0/name").asText()).isEqualTo("INBOX");
        assertThat(json.at("/folders/1/specialUse/0").asText()).isEqualTo("sent");
        assertThat(json.at("/imapCapabilities").toString()).contains("CONDSTORE");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void probeWithUnreachableServerIs502WithTheFailure() {
        Reply r = api.send("POST", "/mailboxes/probe", "alice",
                "{\"address\":\"a@example.org\",\"password\":\"x\",\"imapHost\":\"mail.example.invalid\",\"smtpHost\":\"smtp.example.org\"}");
        assertError(r, 502, "connection_failed");
        assertThat(r.json().at("/error/details/protocol").asText()).isEqualTo("IMAP");
        assertThat(r.json().at("/error/details/host").asText()).isEqualTo("mail.example.invalid");
        assertThat(r.json().at("/error/message").asText()).contains("unknown");
    }

    @Test
    void probeRefusesSettingsFields() {
        Reply r = api.send("POST", "/mailboxes/probe", "alice",
                "{\"preset\":\"gmail\",\"address\":\"a@gmail.com\",\"password\":\"x\",\"syncPeriod\":\"7d\"}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("syncPeriod");
    }

    // ---------------------------------------------------------------- create

    @Test
    void createAnswers201WithLocationAndTheView() {
        String address = uniqueAddress("alice");
        Reply r = api.send("POST", "/mailboxes", "alice", "{"
                + "\"preset\":\"custom\",\"address\":\"" + address + "\",\"username\":\"alice-login\",\"password\":\"" + PASSWORD + "\","
                + "\"imapHost\":\"imap.example.org\",\"imapPort\":1993,\"imapSecurity\":\"SSL\","
                + "\"smtpHost\":\"smtp.example.org\",\"smtpSecurity\":\"starttls\","
                + "\"senderName\":\"Alice A.\",\"name\":\"{{first_name}} (work)\",\"accessLevel\":\"shared\","
                + "\"sharedWith\":[\"bob\"],\"visibility\":\"everyone\",\"privateMessages\":true,"
                + "\"allowedSenders\":[\"bob\",\"carol\"],\"crmLinking\":false,\"keep\":\"received\",\"syncPeriod\":\"1m\","
                + "\"folders\":[\"INBOX\",\"Sent\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode m = r.json();
        long id = m.get("id").asLong();
        assertThat(r.header("Location")).isEqualTo(ApiServlet.ROOT + "/mailboxes/" + id);
        assertThat(m.get("address").asText()).isEqualTo(address);
        assertThat(m.get("owner").asText()).isEqualTo("alice");
        assertThat(m.get("tenant").asText()).isEqualTo("demo");
        assertThat(m.get("name").asText()).isEqualTo("alice (work)");
        assertThat(m.get("state").asText()).isEqualTo("active");
        assertThat(m.get("verified").asBoolean()).isFalse();
        assertThat(m.at("/connection/username").asText()).isEqualTo("alice-login");
        assertThat(m.at("/connection/imap/port").asInt()).isEqualTo(1993);
        assertThat(m.at("/connection/smtp/port").asInt()).isEqualTo(587);
        assertThat(m.at("/connection/smtp/security").asText()).isEqualTo("starttls");
        JsonNode s = m.get("settings");
        assertThat(s.get("senderName").asText()).isEqualTo("Alice A.");
        assertThat(s.get("name").asText()).isEqualTo("{{first_name}} (work)");
        assertThat(s.get("accessLevel").asText()).isEqualTo("shared");
        assertThat(s.get("sharedWith").toString()).isEqualTo("[\"bob\"]");
        assertThat(s.get("visibility").asText()).isEqualTo("everyone");
        assertThat(s.get("privateMessages").asBoolean()).isTrue();
        assertThat(s.get("allowedSenders").toString()).isEqualTo("[\"bob\",\"carol\"]");
        assertThat(s.get("crmLinking").asBoolean()).isFalse();
        assertThat(s.get("keep").asText()).isEqualTo("received");
        assertThat(s.get("syncPeriod").asText()).isEqualTo("1m");
        assertThat(s.get("folders").toString()).isEqualTo("[\"INBOX\",\"Sent\"]");
        assertThat(Instant.parse(m.get("createdAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(m.at("/stats/messagesDownloaded").asLong()).isZero();
        assertThat(m.at("/stats/lastSyncStarted").isNull()).isTrue();

        Reply again = api.send("GET", "/mailboxes/" + id, "alice", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("address").asText()).isEqualTo(address);
        assertThat(service.storedPassword(id)).isEqualTo(PASSWORD);
    }

    @Test
    void createWithDefaults() {
        Reply r = api.send("POST", "/mailboxes", "alice", gmail(uniqueAddress("alice")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().at("/settings/syncPeriod").asText()).isEqualTo("14d");
        assertThat(r.json().at("/settings/accessLevel").asText()).isEqualTo("personal");
    }

    @Test
    void duplicateAddressIs409AndSavesNothing() {
        String address = uniqueAddress("alice");
        assertThat(api.send("POST", "/mailboxes", "alice", gmail(address)).status()).isEqualTo(201);
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "bob", gmail(address));
        assertError(r, 409, "duplicate_address");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void unknownFieldIs422NamingTheField() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"x@gmail.com\",\"password\":\"p\",\"nmae\":\"typo\"}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("nmae");
        assertThat(r.json().at("/error/message").asText()).contains("nmae");
        assertThat(r.json().at("/error/details/allowed").toString()).contains("\"name\"", "\"syncPeriod\"");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void wrongEnumValueIs422ListingTheAllowedValues() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"address\":\"x@example.org\",\"password\":\"p\",\"imapHost\":\"h.example.org\",\"smtpHost\":\"h.example.org\",\"imapSecurity\":\"tls\"}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("imapSecurity");
        assertThat(r.json().at("/error/details/allowed").toString()).isEqualTo("[\"ssl\",\"starttls\",\"none\"]");
        assertThat(r.json().at("/error/message").asText()).contains("ssl, starttls, none");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void syncPeriodNotOfferedIs422() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"p\",\"syncPeriod\":\"2w\"}");
        assertError(r, 422, "sync_period_not_offered");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("syncPeriod");
        assertThat(r.json().at("/error/details/offered").asText()).isEqualTo("7d, 14d, 1m, 3m, 1y");
        assertThat(service.count()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"imapPort\":\"993\"", "\"imapPort\":99.5", "\"imapPort\":99999999999", "\"privateMessages\":\"yes\"",
            "\"sharedWith\":\"bob\"", "\"folders\":[1]", "\"senderName\":{}"})
    void wrongTypeIs422NamingTheField(String field) {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"p\"," + field + "}");
        assertError(r, 422, "invalid_input");
        String name = field.substring(1, field.indexOf('"', 1));
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo(name);
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void aPasswordTypedAsANumberIsRefusedWithoutRepeatingIt() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":12345678}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("password");
        assertThat(r.json().at("/error/message").asText()).contains("must be a string, not a number")
                .doesNotContain("12345678");
        assertThat(r.body()).doesNotContain("12345678");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void blankPasswordIs422() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"  \"}");
        assertError(r, 422, "blank_password");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void lineBreakInSenderNameIs422HeaderInjection() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"p\",\"senderName\":\"A\\r\\nBcc: x@evil.example\"}");
        assertError(r, 422, "header_injection");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("senderName");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void invalidAddressIs422() {
        Reply r = api.send("POST", "/mailboxes", "alice", "{\"preset\":\"gmail\",\"address\":\"not-an-address\",\"password\":\"p\"}");
        assertError(r, 422, "invalid_address");
    }

    @Test
    void unknownFolderIs422AndSavesNothing() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"p\",\"folders\":[\"Nope\"]}");
        assertError(r, 422, "unknown_folder");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void wrongPasswordAtTheServerIs502() {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + uniqueAddress("alice") + "\",\"password\":\"" + InMemoryMailboxService.WRONG_PASSWORD + "\"}");
        assertError(r, 502, "connection_failed");
        assertThat(r.json().at("/error/details/reason").asText()).isEqualTo("AUTHENTICATION");
        assertThat(r.body()).doesNotContain(InMemoryMailboxService.WRONG_PASSWORD);
        assertThat(service.count()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- malformed requests

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"address\": secret-token}", "[1,2]", "\"text\"", "{} {}", "{\"a\":1,\"a\":2}", "null"})
    void malformedJsonIs400(String body) {
        int before = service.count();
        Reply r = api.send("POST", "/mailboxes", "alice", body);
        assertError(r, 400, "malformed_request");
        assertThat(r.body()).doesNotContain("secret-token");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void missingBodyIs400() {
        Reply r = api.send("POST", "/mailboxes", "alice", null);
        assertError(r, 400, "malformed_request");
    }

    @Test
    void duplicateFieldIsNamed() {
        Reply r = api.send("POST", "/mailboxes", "alice", "{\"address\":\"a@example.org\",\"address\":\"b@example.org\"}");
        assertError(r, 400, "malformed_request");
        assertThat(r.json().at("/error/message").asText()).contains("'address'");
    }

    @Test
    void bodyLargerThan64KbIs413() {
        int before = service.count();
        String big = "{\"senderName\":\"" + "x".repeat(ApiServlet.MAX_BODY_BYTES) + "\"}";
        // every time: the refused body is read to its end before the answer, so the connection is not reset under it
        for (int i = 0; i < 10; i++) {
            Reply declared = api.send("POST", "/mailboxes", "alice", big);
            assertError(declared, 413, "payload_too_large");
            assertThat(declared.json().at("/error/details/limit").asInt()).isEqualTo(65536);

            // chunked: no Content-Length, the servlet stops storing at the limit
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes"))
                    .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                    .build();
            assertError(api.send(chunked), 413, "payload_too_large");
        }
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void nonJsonBodyIs415() {
        HttpRequest form = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes"))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("address=a%40example.org"))
                .build();
        assertError(api.send(form), 415, "unsupported_media_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"activate", "deactivate", "test", "verification-code", "default-for-sending", "verify"})
    void postWithoutJsonContentTypeIs415EvenWithoutABodyAndChangesNothing(String action) {
        long id = create("alice");
        var before = service.stored(id);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id + "/" + action))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        Reply r = api.send(request);
        assertError(r, 415, "unsupported_media_type");
        assertThat(r.json().at("/error/message").asText()).contains("Content-Type: application/json", "also when the body is empty");
        assertThat(service.stored(id)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=b"})
    void whatAnHtmlFormCanSendIsRefusedSoNoOtherSiteCanActWithCachedCredentials(String contentType) {
        long id = create("alice");
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id + "/deactivate"))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("reason=hacked"))
                .build();
        assertError(api.send(request), 415, "unsupported_media_type");
        assertThat(service.stored(id).active()).isTrue();
    }

    @Test
    void patchWithoutContentTypeIs415AndDeleteNeedsNone() {
        long id = create("alice");
        HttpRequest patch = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build();
        assertError(api.send(patch), 415, "unsupported_media_type");
        assertThat(service.stored(id).settings().syncPeriod().token()).isEqualTo("14d");
        HttpRequest delete = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/" + id))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .DELETE()
                .build();
        assertThat(api.send(delete).status()).isEqualTo(204);
    }

    @Test
    void credentialsAreCheckedBeforeTheContentType() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes/1/activate"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        assertError(api.send(request), 401, "unauthenticated");
    }

    @Test
    void jsonWithCharsetIsAccepted() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes"))
                .header("Authorization", TestAuthenticator.basic("alice", "alice-secret"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(gmail(uniqueAddress("alice"))))
                .build();
        assertThat(api.send(request).status()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- read, list, access

    @Test
    void listShowsOwnAndSharedMailboxesOnly() {
        long alices = create("alice");
        long bobs = create("bob");
        Reply r = api.send("GET", "/mailboxes", "alice", null);
        assertThat(r.status()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().get("mailboxes").forEach(m -> ids.add(m.get("id").asLong()));
        assertThat(ids).contains(alices).doesNotContain(bobs);
    }

    @Test
    void anotherUsersMailboxIs404() {
        long bobs = create("bob");
        assertError(api.send("GET", "/mailboxes/" + bobs, "alice", null), 404, "mailbox_not_found");
        assertError(api.send("GET", "/mailboxes/999999", "alice", null), 404, "mailbox_not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-4", "12345678901234567890"})
    void idThatIsNotAPositiveNumberIs422(String id) {
        Reply r = api.send("GET", "/mailboxes/" + id, "alice", null);
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("id");
    }

    @Test
    void trailingSlashIsIgnored() {
        assertThat(api.send("GET", "/mailboxes/", "alice", null).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- update

    @Test
    void patchChangesOnlyTheGivenFields() {
        long id = create("alice");
        Reply r = api.send("PATCH", "/mailboxes/" + id, "alice",
                "{\"syncPeriod\":\"3m\",\"senderName\":\"Alice\",\"password\":\"new-Pa55\",\"imapPort\":994,\"folders\":[\"INBOX\",\"Trash\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/settings/syncPeriod").asText()).isEqualTo("3m");
        assertThat(r.json().at("/settings/senderName").asText()).isEqualTo("Alice");
        assertThat(r.json().at("/settings/keep").asText()).isEqualTo("both");
        assertThat(r.json().at("/settings/folders").toString()).isEqualTo("[\"INBOX\",\"Trash\"]");
        assertThat(r.json().at("/connection/imap/port").asInt()).isEqualTo(994);
        assertThat(service.storedPassword(id)).isEqualTo("new-Pa55");
    }

    @Test
    void patchByAnotherUserIs403AndChangesNothing() {
        String address = uniqueAddress("alice");
        Reply created = api.send("POST", "/mailboxes", "alice",
                "{\"preset\":\"gmail\",\"address\":\"" + address + "\",\"password\":\"" + PASSWORD + "\",\"accessLevel\":\"shared\",\"sharedWith\":[\"bob\"]}");
        long id = created.json().get("id").asLong();
        assertThat(api.send("GET", "/mailboxes/" + id, "bob", null).status()).isEqualTo(200);
        Reply r = api.send("PATCH", "/mailboxes/" + id, "bob", "{\"syncPeriod\":\"1y\"}");
        assertError(r, 403, "not_owner");
        assertThat(service.stored(id).settings().syncPeriod().token()).isEqualTo("14d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"address", "preset"})
    void patchRefusesAddressAndPreset(String field) {
        long id = create("alice");
        Reply r = api.send("PATCH", "/mailboxes/" + id, "alice", "{\"" + field + "\":\"gmail\",\"syncPeriod\":\"1y\"}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo(field);
        assertThat(r.json().at("/error/message").asText()).contains("cannot change");
        assertThat(service.stored(id).settings().syncPeriod().token()).isEqualTo("14d");
    }

    @Test
    void patchWithUnknownFieldChangesNothing() {
        long id = create("alice");
        Reply r = api.send("PATCH", "/mailboxes/" + id, "alice", "{\"syncPeriod\":\"1y\",\"sync_period\":\"1y\"}");
        assertError(r, 422, "invalid_input");
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("sync_period");
        assertThat(service.stored(id).settings().syncPeriod().token()).isEqualTo("14d");
    }

    @Test
    void patchWithBadConnectionIs502AndKeepsTheOldOne() {
        long id = create("alice");
        Reply r = api.send("PATCH", "/mailboxes/" + id, "alice", "{\"imapHost\":\"imap.example.invalid\",\"syncPeriod\":\"1y\"}");
        assertError(r, 502, "connection_failed");
        assertThat(service.stored(id).connection().imap().host()).isEqualTo("imap.gmail.com");
        assertThat(service.stored(id).settings().syncPeriod().token()).isEqualTo("14d");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteAnswers204AndTheMailboxIsGone() {
        long id = create("alice");
        Reply r = api.send("DELETE", "/mailboxes/" + id, "alice", null);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertError(api.send("GET", "/mailboxes/" + id, "alice", null), 404, "mailbox_not_found");
        assertError(api.send("DELETE", "/mailboxes/" + id, "alice", null), 404, "mailbox_not_found");
    }

    @Test
    void adminMayDeleteAnyMailbox() {
        long id = create("carol");
        assertThat(api.send("DELETE", "/mailboxes/" + id, "admin", null).status()).isEqualTo(204);
    }

    // ---------------------------------------------------------------- actions

    @Test
    void testReportsSuccessAndFailureAs200() {
        long id = create("alice");
        Reply ok = api.send("POST", "/mailboxes/" + id + "/test", "alice", null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("ok").asBoolean()).isTrue();
        assertThat(ok.json().get("failure").isNull()).isTrue();
        assertThat(ok.json().at("/folders/0/name").asText()).isEqualTo("INBOX");
        assertThat(ok.json().at("/mailbox/id").asLong()).isEqualTo(id);

        service.serversDown(true);
        Reply failed = api.send("POST", "/mailboxes/" + id + "/test", "alice", null);
        assertThat(failed.status()).isEqualTo(200);
        JsonNode f = failed.json();
        assertThat(f.get("ok").asBoolean()).isFalse();
        assertThat(f.at("/failure/protocol").asText()).isEqualTo("imap");
        assertThat(f.at("/failure/step").asText()).isEqualTo("connect");
        assertThat(f.at("/failure/reason").asText()).isEqualTo("timeout");
        assertThat(f.at("/failure/transient").asBoolean()).isTrue();
        assertThat(f.at("/failure/message").asText()).contains("did not answer");
        assertThat(f.at("/mailbox/consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(Instant.parse(f.get("testedAt").asText())).isNotNull();
    }

    @Test
    void verifyWithWrongThenRightCode() {
        long id = create("alice");
        Reply wrong = api.send("POST", "/mailboxes/" + id + "/verify", "alice", "{\"code\":\"000000\"}");
        assertError(wrong, 422, "verification_code_wrong");
        assertThat(service.stored(id).verified()).isFalse();
        Reply right = api.send("POST", "/mailboxes/" + id + "/verify", "alice", "{\"code\":\"" + InMemoryMailboxService.CODE + "\"}");
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.json().get("verified").asBoolean()).isTrue();
    }

    @Test
    void verifyNeedsACode() {
        long id = create("alice");
        assertError(api.send("POST", "/mailboxes/" + id + "/verify", "alice", null), 400, "malformed_request");
        assertError(api.send("POST", "/mailboxes/" + id + "/verify", "alice", "{}"), 422, "invalid_input");
        Reply number = api.send("POST", "/mailboxes/" + id + "/verify", "alice", "{\"code\":123456}");
        assertError(number, 422, "invalid_input");
        assertThat(number.json().at("/error/details/field").asText()).isEqualTo("code");
        assertThat(service.stored(id).verified()).isFalse();
    }

    @Test
    void newVerificationCodeTellsWhenItExpires() {
        long id = create("alice");
        Reply r = api.send("POST", "/mailboxes/" + id + "/verification-code", "alice", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Instant.parse(r.json().get("expiresAt").asText())).isAfter(Instant.now());
    }

    @Test
    void deactivateAndActivate() {
        long id = create("alice");
        Reply off = api.send("POST", "/mailboxes/" + id + "/deactivate", "alice", "{\"reason\":\"On holiday\"}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().get("state").asText()).isEqualTo("inactive");
        assertThat(off.json().get("inactiveReason").asText()).isEqualTo("On holiday");
        Reply on = api.send("POST", "/mailboxes/" + id + "/activate", "alice", null);
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().get("state").asText()).isEqualTo("active");
        assertThat(on.json().get("inactiveReason").isNull()).isTrue();
        Reply offWithoutBody = api.send("POST", "/mailboxes/" + id + "/deactivate", "alice", null);
        assertThat(offWithoutBody.status()).isEqualTo(200);
        assertThat(offWithoutBody.json().get("state").asText()).isEqualTo("inactive");
    }

    @Test
    void deactivateRefusesUnknownFieldsAndLineBreaks() {
        long id = create("alice");
        assertError(api.send("POST", "/mailboxes/" + id + "/deactivate", "alice", "{\"why\":\"x\"}"), 422, "invalid_input");
        assertError(api.send("POST", "/mailboxes/" + id + "/deactivate", "alice", "{\"reason\":\"a\\nb\"}"), 422, "header_injection");
        assertThat(service.stored(id).active()).isTrue();
    }

    @Test
    void defaultForSending() {
        Reply none = api.send("GET", "/mailboxes/default", "carol", null);
        assertError(none, 404, "mailbox_not_found");

        long id = create("carol");
        assertError(api.send("POST", "/mailboxes/" + id + "/default-for-sending", "carol", null), 409, "mailbox_not_verified");
        api.send("POST", "/mailboxes/" + id + "/verify", "carol", "{\"code\":\"" + InMemoryMailboxService.CODE + "\"}");
        Reply set = api.send("POST", "/mailboxes/" + id + "/default-for-sending", "carol", null);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("defaultForSending").asBoolean()).isTrue();
        Reply got = api.send("GET", "/mailboxes/default", "carol", null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("id").asLong()).isEqualTo(id);
    }

    // ---------------------------------------------------------------- routing

    @Test
    void unknownRouteIs404NotFound() {
        assertError(api.send("GET", "/nothing/here", "alice", null), 404, "not_found");
        assertError(api.send("GET", "/mailboxes/1/unknown", "alice", null), 404, "not_found");
        assertError(api.send("GET", "/", "alice", null), 404, "not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Reply put = api.send("PUT", "/mailboxes", "alice", "{}");
        assertError(put, 405, "method_not_allowed");
        assertThat(put.header("Allow")).isEqualTo("GET, POST");
        Reply probe = api.send("GET", "/mailboxes/probe", "alice", null);
        assertError(probe, 405, "method_not_allowed");
        assertThat(probe.header("Allow")).isEqualTo("POST");
        Reply one = api.send("POST", "/mailboxes/5", "alice", "{}");
        assertThat(one.header("Allow")).isEqualTo("DELETE, GET, PATCH");
    }

    @Test
    void openApiDocumentIsServedWithoutCredentials() {
        Reply r = api.send("GET", "/openapi.yaml", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/yaml");
        assertThat(r.body()).startsWith("openapi: 3.0");
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void noCredentialsIs401WithChallenge() {
        Reply r = api.send("GET", "/mailboxes", null, null);
        assertError(r, 401, "unauthenticated");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"postroom\"");
        // unknown routes are not revealed to strangers either
        assertError(api.send("GET", "/nothing", null, null), 401, "unauthenticated");
    }

    @Test
    void wrongPasswordIs401AndSavesNothing() {
        int before = service.count();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/mailboxes"))
                .header("Authorization", TestAuthenticator.basic("alice", "guess"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(gmail(uniqueAddress("alice"))))
                .build();
        Reply r = api.send(request);
        assertError(r, 401, "unauthenticated");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"postroom\"");
        assertThat(service.count()).isEqualTo(before);
    }

    @Test
    void authenticatorSeesMethodPathHeadersAndAddress() {
        api.send("GET", "/mailboxes/default", "alice", null);
        var seen = authenticator.last;
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/mailboxes/default");
        assertThat(seen.authorization()).isPresent();
        assertThat(seen.authorizations()).hasSize(1);
        assertThat(seen.missing()).isEmpty();
        assertThat(seen.remoteAddress()).isEqualTo("127.0.0.1");
    }

    // ---------------------------------------------------------------- status of each error category

    @ParameterizedTest
    @EnumSource(ErrorCategory.class)
    void everyErrorCategoryHasItsStatus(ErrorCategory category) {
        ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.category() == category).findFirst().orElseThrow();
        service.failNextWith(new PostroomException(code, "Reason for " + code.code() + ".", Map.of("field", "something")));
        Reply r = api.send("GET", "/mailboxes", "alice", null);
        int status = switch (category) {
            case INVALID_INPUT -> 422;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UPSTREAM -> 502;
            case BUSY -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
        assertError(r, status, code.code());
        if (category == ErrorCategory.BUSY) {
            assertThat(r.response().headers().firstValue("Retry-After")).hasValue(String.valueOf(ApiServlet.BUSY_RETRY_SECONDS));
        }
        if (category == ErrorCategory.INTERNAL) {
            assertThat(r.json().at("/error/message").asText()).doesNotContain("Reason for").contains("error id");
            assertThat(r.json().at("/error/details/errorId").asText()).isNotBlank();
            assertThat(r.json().at("/error/details/field").isMissingNode()).isTrue();
        } else {
            assertThat(r.json().at("/error/message").asText()).isEqualTo("Reason for " + code.code() + ".");
            assertThat(r.json().at("/error/details/field").asText()).isEqualTo("something");
        }
        assertThat(r.header("WWW-Authenticate") != null).isEqualTo(category == ErrorCategory.UNAUTHENTICATED);
    }

    @Test
    void unexpectedExceptionIs500WithoutItsMessageOrStackTrace() {
        service.failNextWith(new IllegalStateException("database password is hunter2"));
        Reply r = api.send("GET", "/presets", "alice", null);
        assertError(r, 500, "internal");
        assertThat(r.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at io.postroom");
        assertThat(r.json().at("/error/details/errorId").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void responsesAreNotCached() {
        Reply r = api.send("GET", "/mailboxes", "alice", null);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Content-Type")).isEqualToIgnoringCase("application/json;charset=utf-8");
    }

    @Test
    void mailboxViewHasNoPasswordField() {
        assertThat(Arrays.stream(Views.MailboxView.class.getRecordComponents()).map(c -> c.getName().toLowerCase()))
                .noneMatch(n -> n.contains("password") || n.contains("secret"));
        assertThat(Arrays.stream(Views.ConnectionView.class.getRecordComponents()).map(c -> c.getName().toLowerCase()))
                .noneMatch(n -> n.contains("password") || n.contains("secret"));
    }
}
