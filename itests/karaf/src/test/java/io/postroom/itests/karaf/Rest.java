package io.postroom.itests.karaf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Calls Postroom's REST API over HTTP, as a CRM front end would. Keeps every answer for the leak check. */
final class Rest {
    static final String BASE = "/postroom/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, the WWW-Authenticate and Location headers, the body (parsed when it is JSON), all headers. */
    record Answer(int status, String body, Optional<String> authenticate, Optional<String> location,
                  Map<String, List<String>> headers) {
        /** The first value of a header (names are case-insensitive), if present. */
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (status " + status + "): " + body, e);
            }
        }

        /** The stable error code of an error body. */
        String errorCode() {
            return json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;
    private final List<String> transcript;

    Rest(int port, List<String> transcript) {
        this.port = port;
        this.transcript = transcript;
    }

    Answer get(String user, String password, String path) {
        return send(user, password, "GET", path, null);
    }

    Answer post(String user, String password, String path, String json) {
        return send(user, password, "POST", path, json);
    }

    Answer patch(String user, String password, String path, String json) {
        return send(user, password, "PATCH", path, json);
    }

    Answer delete(String user, String password, String path) {
        return send(user, password, "DELETE", path, null);
    }

    /** A request; no credentials when {@code user} is null. */
    Answer send(String user, String password, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BASE + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null || !method.equals("GET") && !method.equals("DELETE")) {
            request.header("Content-Type", "application/json"); // also for an empty POST, as the API asks
        }
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Answer answer = new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("WWW-Authenticate"), response.headers().firstValue("Location"),
                    response.headers().map());
            synchronized (transcript) {
                transcript.add(method + " " + path + " -> " + answer);
                transcript.add(String.valueOf(response.headers().map()));
            }
            return answer;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A JSON string literal. */
    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
