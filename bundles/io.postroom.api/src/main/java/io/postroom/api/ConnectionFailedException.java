package io.postroom.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** A mail server could not be reached, refused us, or spoke nonsense. */
public class ConnectionFailedException extends PostroomException {
    private static final long serialVersionUID = 1L;

    private final transient ConnectionFailure failure;

    public ConnectionFailedException(ConnectionFailure failure, Throwable cause) {
        super(failure.kind() == ConnectionFailure.Kind.NOT_ALLOWED ? ErrorCode.OUTBOUND_NOT_ALLOWED : ErrorCode.CONNECTION_FAILED,
                failure.describe(), details(failure), cause);
        this.failure = failure;
    }

    public ConnectionFailure failure() {
        return failure;
    }

    private static Map<String, Object> details(ConnectionFailure f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("protocol", f.protocol().name());
        d.put("step", f.step().name());
        d.put("reason", f.kind().name());
        d.put("host", f.host());
        d.put("port", f.port());
        return d;
    }
}
