package io.postroom.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure of the HTTP exchange itself, before any service is asked: unknown route, wrong method,
 * body that is not JSON or too large. Domain failures are {@link io.postroom.api.PostroomException}s.
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The codes of these failures; they complement {@link io.postroom.api.ErrorCode}. */
    static final String NOT_FOUND = "not_found";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String MALFORMED_REQUEST = "malformed_request";
    static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    static final String TOO_MANY_ATTEMPTS = "too_many_attempts";

    private final int status;
    private final String code;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    private HttpError(int status, String code, String message, Map<String, ?> details, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    static HttpError notFound(String path) {
        return new HttpError(404, NOT_FOUND, "There is no resource at " + path + ".", Map.of(), Map.of());
    }

    static HttpError methodNotAllowed(String method, String path, String allowed) {
        return new HttpError(405, METHOD_NOT_ALLOWED, path + " does not accept " + method + "; it accepts " + allowed + ".",
                Map.of("allowed", allowed), Map.of("Allow", allowed));
    }

    static HttpError malformed(String message) {
        return new HttpError(400, MALFORMED_REQUEST, message, Map.of(), Map.of());
    }

    static HttpError tooLarge(int limit) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("limit", limit);
        return new HttpError(413, PAYLOAD_TOO_LARGE, "The request body is larger than " + limit + " bytes.", details, Map.of());
    }

    static HttpError unsupportedMediaType(String contentType) {
        return new HttpError(415, UNSUPPORTED_MEDIA_TYPE,
                "Send POST, PUT and PATCH requests as JSON with Content-Type: application/json (also when the body is empty), not '"
                        + contentType + "'.", Map.of(), Map.of());
    }

    static HttpError tooManyAttempts(java.time.Duration wait) {
        long seconds = wait.getSeconds();
        return new HttpError(429, TOO_MANY_ATTEMPTS, "Too many failed sign-ins for this user name from this address;"
                + " try again in " + seconds + (seconds == 1 ? " second." : " seconds."), Map.of("retryAfterSeconds", seconds),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> details() {
        return details;
    }

    Map<String, String> headers() {
        return headers;
    }
}
