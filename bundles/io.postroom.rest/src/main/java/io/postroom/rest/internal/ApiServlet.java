package io.postroom.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCategory;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.rest.RequestAuthenticator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: one servlet on the HTTP Whiteboard under {@value #ROOT}. It authenticates the
 * caller with the highest-ranked {@link RequestAuthenticator}, routes the request, and maps
 * {@link PostroomException}s to HTTP statuses by their {@link ErrorCategory}.
 */
@Component(service = Servlet.class, name = "io.postroom.rest.api")
@HttpWhiteboardServletPattern(ApiServlet.ROOT + "/*")
@HttpWhiteboardServletName("postroom-api")
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    /** Where the API lives. */
    public static final String ROOT = "/postroom/api/v1";
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final MailboxApi api;
    private final RequestAuthenticator authenticator;
    private final ObjectMapper mapper = Json.mapper();

    @Activate
    public ApiServlet(@Reference MailboxService mailboxes,
                      @Reference(policyOption = ReferencePolicyOption.GREEDY) RequestAuthenticator authenticator) {
        this.api = new MailboxApi(mailboxes);
        this.authenticator = authenticator;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                throw HttpError.tooLarge(MAX_BODY_BYTES);
            }
            Router.Match<MailboxApi.Handler> match = null;
            HttpError routing = null;
            try {
                match = api.router().match(method, path);
            } catch (HttpError e) {
                routing = e;
            }
            Actor actor = null;
            if (match == null || !match.handler().open()) {
                actor = authenticate(request, method, path);
                if (routing != null) {
                    throw routing;
                }
            }
            ApiCall call = new ApiCall(actor, match.parameters(), () -> readBody(request), mapper,
                    request.getContextPath() + request.getServletPath());
            write(response, match.handler().action().apply(call));
        } catch (HttpError e) {
            writeError(response, e.status(), e.code(), e.getMessage(), e.details(), e.headers());
        } catch (PostroomException e) {
            writeError(response, method, path, e);
        } catch (RuntimeException e) {
            writeInternalError(response, method, path, e);
        }
    }

    private Actor authenticate(HttpServletRequest request, String method, String path) {
        Optional<Actor> actor = authenticator.authenticate(new ServletAuthenticationRequest(request, method, path));
        return actor.orElseThrow(() -> new PostroomException(ErrorCode.UNAUTHENTICATED,
                "Sign in first: this request carries no valid credentials."));
    }

    private static byte[] readBody(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType != null && !isJson(contentType)) {
            throw HttpError.unsupportedMediaType(contentType);
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    throw HttpError.tooLarge(MAX_BODY_BYTES);
                }
            }
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > 0 && contentType == null) {
            throw HttpError.unsupportedMediaType("none");
        }
        return bytes;
    }

    static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private void write(HttpServletResponse response, Response r) throws IOException {
        r.headers().forEach(response::setHeader);
        response.setStatus(r.status());
        if (r.raw() != null) {
            send(response, r.raw(), r.mediaType());
        } else if (r.entity() != null) {
            send(response, mapper.writeValueAsBytes(r.entity()), "application/json;charset=UTF-8");
        }
    }

    private void writeError(HttpServletResponse response, String method, String path, PostroomException e) throws IOException {
        ErrorCategory category = e.code().category();
        if (category == ErrorCategory.INTERNAL) {
            writeInternalError(response, method, path, e);
            return;
        }
        if (category == ErrorCategory.UNAVAILABLE) {
            LOG.warn("{} {} answered 503 {}: {}", method, path, e.code().code(), e.getMessage());
        } else {
            LOG.debug("{} {} answered {}: {}", method, path, e.code().code(), e.getMessage());
        }
        Map<String, String> headers = category == ErrorCategory.UNAUTHENTICATED
                ? Map.of("WWW-Authenticate", authenticator.challenge())
                : Map.of();
        writeError(response, status(category), e.code().code(), e.getMessage(), e.details(), headers);
    }

    private void writeInternalError(HttpServletResponse response, String method, String path, RuntimeException e) throws IOException {
        String errorId = UUID.randomUUID().toString();
        LOG.error("Internal error {} on {} {}", errorId, method, path, e);
        writeError(response, 500, ErrorCode.INTERNAL.code(),
                "Postroom failed unexpectedly; the administrator finds the cause in the log under error id " + errorId + ".",
                Map.of("errorId", errorId), Map.of());
    }

    private void writeError(HttpServletResponse response, int status, String code, String message,
                            Map<String, Object> details, Map<String, String> headers) throws IOException {
        if (response.isCommitted()) {
            LOG.warn("Cannot send error {} ({}): the response is already committed", status, code);
            return;
        }
        response.reset();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        headers.forEach(response::setHeader);
        response.setStatus(status);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Views.error(code, message, details));
        } catch (JsonProcessingException e) {
            LOG.warn("Error details of {} cannot be written as JSON; sending the error without them", code, e);
            body = mapper.writeValueAsBytes(Views.error(code, message, Map.of()));
        }
        send(response, body, "application/json;charset=UTF-8");
    }

    private static void send(HttpServletResponse response, byte[] body, String mediaType) throws IOException {
        response.setContentType(mediaType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The HTTP status of each kind of failure (400, 405, 413 and 415 are {@link HttpError}s). */
    static int status(ErrorCategory category) {
        return switch (category) {
            case INVALID_INPUT -> 422;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
