package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.postroom.api.ErrorCode;
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
        Set<String> routed = new MailboxApi(new InMemoryMailboxService()).router().routes().stream()
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
                HttpError.PAYLOAD_TOO_LARGE, HttpError.UNSUPPORTED_MEDIA_TYPE)) {
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
        Map<String, Class<? extends Record>> views = Map.of(
                "Mailbox", Views.MailboxView.class, "Connection", Views.ConnectionView.class,
                "Endpoint", Views.EndpointView.class, "Settings", Views.SettingsView.class, "Stats", Views.StatsView.class,
                "Preset", Views.PresetView.class, "Folder", Views.FolderView.class, "ProbeResult", Views.ProbeView.class,
                "ConnectionTest", Views.ConnectionTestView.class, "VerificationCode", Views.VerificationCodeView.class);
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

    private static Set<String> properties(String schema) {
        Set<String> names = new TreeSet<>();
        doc.at("/components/schemas/" + schema + "/properties").fieldNames().forEachRemaining(names::add);
        return names;
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
