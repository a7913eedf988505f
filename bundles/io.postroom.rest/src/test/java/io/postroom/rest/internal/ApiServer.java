package io.postroom.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.SyncService;
import io.postroom.rest.RequestAuthenticator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The real {@link ApiServlet} in an embedded Jetty 9.4 (the Jetty of Karaf 4.4.8) on a free
 * loopback port, and a client that remembers every answer so that tests can check them all. The
 * client sends every POST, PUT and PATCH as {@code application/json}, as a well-behaved client does.
 */
final class ApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One HTTP answer. */
    record Reply(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + response.body(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    private final Server server;
    private final ApiServlet servlet;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
    private final URI base;

    /** Without a SyncService and a MessageService, as on a host that does not install them. */
    ApiServer(MailboxService service, RequestAuthenticator authenticator) throws Exception {
        this(service, null, null, authenticator);
    }

    ApiServer(MailboxService service, SyncService sync, MessageService messages, RequestAuthenticator authenticator) throws Exception {
        servlet = new ApiServlet(service, authenticator);
        services(sync, messages);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), ApiServlet.ROOT + "/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + ApiServlet.ROOT);
    }

    URI base() {
        return base;
    }

    /** Binds or unbinds (null) the optional services, as Declarative Services does when they come and go. */
    void services(SyncService sync, MessageService messages) {
        servlet.sync = sync;
        servlet.messages = messages;
    }

    List<Reply> replies() {
        return List.copyOf(replies);
    }

    /** A request as user {@code user} (null: no credentials); JSON body if {@code json} is not null. */
    Reply send(String method, String path, String user, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (user != null) {
            b.header("Authorization", TestAuthenticator.basic(user, TestAuthenticator.PASSWORDS.getOrDefault(user, "x")));
        }
        if (json != null || ApiServlet.JSON_METHODS.contains(method)) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(b.build());
    }

    /** A GET whose body is read as a stream (downloads); not remembered among the replies. */
    HttpResponse<InputStream> open(String path, String user) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", TestAuthenticator.basic(user, TestAuthenticator.PASSWORDS.get(user)))
                .GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Reply reply = new Reply(response.statusCode(), response);
            replies.add(reply);
            return reply;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
