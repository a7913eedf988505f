package io.postroom.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception of the host contract: a stable {@link ErrorCode}, a message for a human that
 * says what to fix, and optional details (field names, limits) for programs. Messages and details
 * never contain a password.
 */
public class PostroomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Map<String, Object> details;

    public PostroomException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public PostroomException(ErrorCode code, String message, Map<String, ?> details) {
        this(code, message, details, null);
    }

    public PostroomException(ErrorCode code, String message, Map<String, ?> details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Shorthand for an input error about one named field. */
    public static PostroomException invalid(ErrorCode code, String field, String message) {
        return new PostroomException(code, message, Map.of("field", field));
    }
}
