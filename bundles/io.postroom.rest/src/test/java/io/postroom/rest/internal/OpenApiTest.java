package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.postroom.api.ErrorCode;
import io.postroom.testing.fakes.InMemoryMailboxService;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml (served by the bundle) describes exactly the routes the router knows. */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static JsonNode doc;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MailboxApi.class.getResourceAsStream(MailboxApi.OPENAPI_RESOURCE)) {
            assertThat(in).as("docs/openapi.yaml copied into the bundle").isNotNull();
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routed = new MailboxApi(new InMemoryMailboxService(), () -> null, () -> null).router().routes().stream()
                .map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void isOpenApi3WithTheApiRootAsServer() {
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo(ApiServlet.ROOT);
        assertThat(doc.at("/paths/~1openapi.yaml/get/security").isArray()).isTrue();
        assertThat(doc.at("/paths/~1openapi.yaml/get/security").size()).isZero();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void everyOperationHasAnIdAndDocumentsItsSuccess() {
        Set<String> ids = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                assertThat(ids.add(op.getValue().get("operationId").asText())).as("unique operationId").isTrue();
                Iterator<String> statuses = op.getValue().get("responses").fieldNames();
                assertThat(statuses.next()).as(path.getKey()).startsWith("2");
            }
        }));
    }

    @Test
    void everyErrorCodeIsDocumented() {
        String codes = doc.at("/components/schemas/Error/properties/error/properties/code/description").asText()
                .replaceAll("\\s+", " ");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(codes).contains(code.code());
        }
        for (String http : List.of(HttpError.NOT_FOUND, HttpError.METHOD_NOT_ALLOWED, HttpError.MALFORMED_REQUEST,
                HttpError.PAYLOAD_TOO_LARGE, HttpError.UNSUPPORTED_MEDIA_TYPE, HttpError.TOO_MANY_ATTEMPTS)) {
            assertThat(codes).contains(http);
        }
    }

    @Test
    void requestSchemasListTheFieldsTheApiAccepts() {
        assertThat(properties("ConnectionFields")).isEqualTo(new TreeSet<>(RequestMapping.CONNECTION_FIELDS));
        assertThat(properties("SettingsFields")).isEqualTo(new TreeSet<>(RequestMapping.SETTINGS_FIELDS));
        Set<String> patch = new TreeSet<>(properties("SettingsFields"));
        doc.at("/components/schemas/MailboxPatch/allOf/1/properties").fieldNames().forEachRemaining(patch::add);
        assertThat(patch).isEqualTo(new TreeSet<>(RequestMapping.UPDATE_FIELDS));
        assertThat(properties("VerifyRequest")).isEqualTo(RequestMapping.VERIFY_FIELDS);
        assertThat(properties("DeactivateRequest")).isEqualTo(RequestMapping.DEACTIVATE_FIELDS);
    }

    @Test
    void responseSchemasListTheFieldsTheViewsWrite() {
        Map<String, Class<? extends Record>> views = Map.ofEntries(
                Map.entry("Mailbox", Views.MailboxView.class), Map.entry("Connection", Views.ConnectionView.class),
                Map.entry("Endpoint", Views.EndpointView.class), Map.entry("Settings", Views.SettingsView.class),
                Map.entry("Stats", Views.StatsView.class), Map.entry("Preset", Views.PresetView.class),
                Map.entry("Folder", Views.FolderView.class), Map.entry("ProbeResult", Views.ProbeView.class),
                Map.entry("ConnectionTest", Views.ConnectionTestView.class),
                Map.entry("VerificationCode", Views.VerificationCodeView.class),
                Map.entry("SyncStatus", Views.SyncStatusView.class), Map.entry("SyncProgress", Views.SyncProgressView.class),
                Map.entry("FolderStatus", Views.FolderStatusView.class), Map.entry("SyncRun", Views.SyncRunView.class),
                Map.entry("SyncRunList", Views.SyncRunListView.class),
                Map.entry("QuarantinedMessage", Views.QuarantinedMessageView.class),
                Map.entry("Quarantine", Views.QuarantineView.class), Map.entry("Correspondent", Views.CorrespondentView.class),
                Map.entry("MessageSummary", Views.MessageSummaryView.class), Map.entry("MessageList", Views.MessageListView.class),
                Map.entry("Thread", Views.ThreadView.class), Map.entry("Attachment", Views.AttachmentView.class),
                Map.entry("Message", Views.MessageView.class));
        views.forEach((schema, view) -> {
            Set<String> fields = new TreeSet<>();
            for (var c : view.getRecordComponents()) {
                fields.add(c.getName());
            }
            assertThat(properties(schema)).as(schema).isEqualTo(fields);
        });
        Set<String> failure = new TreeSet<>(properties("ConnectionFailure"));
        assertThat(failure).contains("transient").doesNotContain("transientFailure");
    }

    @Test
    void queryParametersAreThoseTheApiAccepts() {
        Map<String, Set<String>> accepted = Map.of(
                "GET /messages", MessageApi.LIST_QUERY, "GET /mailboxes/{id}/sync/runs", SyncApi.RUNS_QUERY);
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                String route = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                Set<String> documented = new TreeSet<>();
                List<JsonNode> parameters = new ArrayList<>();
                path.getValue().path("parameters").forEach(parameters::add);
                op.getValue().path("parameters").forEach(parameters::add);
                for (JsonNode p : parameters) {
                    JsonNode resolved = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
                    if (resolved.path("in").asText().equals("query")) {
                        documented.add(resolved.get("name").asText());
                    }
                }
                assertThat(documented).as(route).isEqualTo(new TreeSet<>(accepted.getOrDefault(route, Set.of())));
            }
        }));
        assertThat(doc.at("/components/parameters/MessagesLimit/schema/maximum").asInt())
                .isEqualTo(io.postroom.api.message.MessageQuery.MAX_LIMIT);
        assertThat(doc.at("/components/parameters/MessagesLimit/schema/default").asInt()).isEqualTo(MessageApi.DEFAULT_LIMIT);
        assertThat(doc.at("/components/parameters/RunsLimit/schema/maximum").asInt()).isEqualTo(SyncApi.MAX_RUNS);
        assertThat(doc.at("/components/parameters/RunsLimit/schema/default").asInt()).isEqualTo(SyncApi.DEFAULT_RUNS);
    }

    @Test
    void enumsAreTheApisInLowerCase() {
        assertThat(enumValues("/components/schemas/SyncState/enum")).isEqualTo(tokens(io.postroom.api.sync.SyncState.class));
        assertThat(enumValues("/components/schemas/SyncRun/properties/trigger/enum"))
                .isEqualTo(tokens(io.postroom.api.sync.SyncTrigger.class));
        assertThat(enumValues("/components/schemas/SyncRun/properties/outcome/enum"))
                .isEqualTo(tokens(io.postroom.api.sync.SyncOutcome.class));
        assertThat(enumValues("/components/schemas/MessageSummary/properties/direction/enum"))
                .isEqualTo(tokens(io.postroom.api.message.Direction.class));
    }

    @Test
    void downloadsDocumentTheirSecurityHeaders() {
        JsonNode headers = doc.at("/paths/~1messages~1{id}~1attachments~1{n}/get/responses/200/headers");
        assertThat(headers.at("/Content-Security-Policy/description").asText()).contains(Downloads.CONTENT_SECURITY_POLICY);
        assertThat(headers.has("Content-Disposition")).isTrue();
        assertThat(headers.has("Content-Length")).isTrue();
    }

    private static Set<String> enumValues(String pointer) {
        Set<String> values = new TreeSet<>();
        doc.at(pointer).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static <E extends Enum<E>> Set<String> tokens(Class<E> type) {
        Set<String> values = new TreeSet<>();
        for (E e : type.getEnumConstants()) {
            values.add(e.name().toLowerCase(Locale.ROOT));
        }
        return values;
    }

    /** The properties of a schema, including those of the parts of an {@code allOf}. */
    private static Set<String> properties(String schema) {
        Set<String> names = new TreeSet<>();
        collectProperties(doc.at("/components/schemas/" + schema), names);
        return names;
    }

    private static void collectProperties(JsonNode schema, Set<String> names) {
        if (schema.has("$ref")) {
            collectProperties(doc.at(schema.get("$ref").asText().substring(1)), names);
            return;
        }
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        schema.path("allOf").forEach(part -> collectProperties(part, names));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    refs.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
