package io.postroom.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCategory;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.SyncService;
import io.postroom.rest.RequestAuthenticator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: one servlet on the HTTP Whiteboard under {@value #ROOT}. It authenticates the
 * caller with the highest-ranked {@link RequestAuthenticator}, routes the request, and maps
 * {@link PostroomException}s to HTTP statuses by their {@link ErrorCategory}.
 *
 * <p>The {@link SyncService} and the {@link MessageService} are optional and dynamic: without them
 * (a host that does not install them, or while their bundles restart) the mailbox routes keep
 * working and theirs answer 503 {@code unavailable}.
 *
 * <p>Every POST, PUT and PATCH must say {@code Content-Type: application/json}, even with an empty
 * body: an HTML form cannot send that, so a page elsewhere cannot make a browser that holds cached
 * Basic credentials act here (cross-site request forgery).
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
    /** A refused body of up to this many bytes is read to its end (and dropped) before the 413 goes out. */
    static final int DRAIN_BYTES = 1024 * 1024;
    /** Methods whose requests must be JSON, body or not. */
    static final Set<String> JSON_METHODS = Set.of("POST", "PUT", "PATCH");
    private static final String JSON = "application/json;charset=UTF-8";
    private static final int STREAM_BUFFER = 64 * 1024;
    /** What a 429 for a busy resource (too many downloads of one mailbox) asks the client to wait. */
    static final int BUSY_RETRY_SECONDS = 5;

    private final MailboxApi api;
    private final RequestAuthenticator authenticator;
    private final ObjectMapper mapper = Json.mapper();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SyncService sync;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MessageService messages;

    @Activate
    public ApiServlet(@Reference MailboxService mailboxes,
                      @Reference(policyOption = ReferencePolicyOption.GREEDY) RequestAuthenticator authenticator) {
        this.api = new MailboxApi(mailboxes, () -> sync, () -> messages);
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
                if (request.getContentLengthLong() <= DRAIN_BYTES) {
                    drain(request.getInputStream(), 0);
                }
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
            if (JSON_METHODS.contains(method)) {
                String contentType = request.getContentType();
                if (contentType == null || !isJson(contentType)) {
                    throw HttpError.unsupportedMediaType(contentType == null ? "none" : contentType);
                }
            }
            ApiCall call = new ApiCall(actor, match.parameters(), request.getQueryString(), () -> readBody(request), mapper,
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

    /**
     * Reads and drops what is left of a refused body, up to {@link #DRAIN_BYTES} in all: a server
     * that closes a connection with unread bytes in it resets it, and the client may then lose the
     * 413 it was sent. A longer body is left unread (the connection is closed).
     *
     * @param read what was read of it already
     */
    private static void drain(InputStream in, long read) {
        byte[] buffer = new byte[8192];
        long total = read;
        try {
            int n;
            while (total < DRAIN_BYTES && (n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the client stopped sending: the answer goes out as far as it can
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
                    drain(in, out.size());
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
        if (r.stream() != null) {
            stream(response, r);
            return;
        }
        r.headers().forEach(response::setHeader);
        response.setStatus(r.status());
        if (r.raw() != null) {
            send(response, r.raw(), r.mediaType());
        } else if (r.entity() != null) {
            send(response, mapper.writeValueAsBytes(r.entity()), JSON);
        }
    }

    /**
     * Streams an attachment without holding it in memory, and closes it whatever happens. Nothing
     * is sent before its first bytes are read, and a failure while nothing has reached the client
     * yet is an ordinary JSON error (the service's {@link PostroomException}, else 502
     * {@code connection_failed}). A failure after that aborts the response (an
     * {@link IOException} out of the servlet), so that the client sees a broken download rather
     * than a complete-looking, truncated file.
     */
    private void stream(HttpServletResponse response, Response r) throws IOException {
        try (AttachmentContent content = r.stream()) {
            byte[] buffer = new byte[STREAM_BUFFER];
            InputStream in;
            int n;
            try {
                in = content.stream();
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw notSent(e);
            }
            OptionalLong length = content.length();
            r.headers().forEach(response::setHeader);
            response.setStatus(r.status());
            response.setContentType(r.mediaType());
            length.ifPresent(response::setContentLengthLong);
            OutputStream out = response.getOutputStream();
            long sent = 0;
            byte[] probe = new byte[1];
            while (n >= 0) {
                boolean last = false;
                if (length.isPresent()) {
                    if (sent + n == length.getAsLong()) {
                        // the last bytes announced: a longer stream must fail, not be cut silently
                        last = true;
                        if (read(in, probe, response, sent) >= 0) {
                            throw wrongLength(response, sent, "more than the " + length.getAsLong() + " bytes announced");
                        }
                    } else if (sent + n > length.getAsLong()) {
                        throw wrongLength(response, sent, "more than the " + length.getAsLong() + " bytes announced");
                    }
                }
                out.write(buffer, 0, n); // a client that went away ends the loop with its IOException
                sent += n;
                n = last ? -1 : read(in, buffer, response, sent);
            }
            if (length.isPresent() && sent != length.getAsLong()) {
                throw wrongLength(response, sent, "fewer than the " + length.getAsLong() + " bytes announced");
            }
        }
    }

    private static int read(InputStream in, byte[] buffer, HttpServletResponse response, long sent) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            if (!response.isCommitted()) {
                throw notSent(e);
            }
            throw broken(sent, e);
        }
    }

    /** A failure while nothing reached the client: the service's own error, or a mail server that failed. */
    private static PostroomException notSent(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PostroomException p) {
                return p;
            }
        }
        LOG.warn("Reading an attachment from the mail server failed before anything was sent", e);
        return new PostroomException(ErrorCode.CONNECTION_FAILED,
                "The mail server did not deliver the attachment; try again later.", Map.of("protocol", "imap", "step", "fetch"), e);
    }

    /** The service announced a length it did not keep: a bug, answered as one while nothing was sent. */
    private static IOException wrongLength(HttpServletResponse response, long sent, String what) {
        IOException e = new IOException("The attachment stream gave " + what + " (after " + sent + " bytes)");
        if (!response.isCommitted()) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return broken(sent, e);
    }

    private static IOException broken(long sent, Exception e) {
        LOG.warn("Attachment download aborted after {} bytes: {}", sent, e.toString());
        return new IOException("Attachment download aborted after " + sent + " bytes", e);
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
                : category == ErrorCategory.BUSY ? Map.of("Retry-After", String.valueOf(BUSY_RETRY_SECONDS)) : Map.of();
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
        send(response, body, JSON);
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
            case BUSY -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
