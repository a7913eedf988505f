package io.postroom.api;

import java.util.Locale;

/**
 * Stable error codes. The {@link #code()} string is part of the public contract (REST bodies,
 * shell output, host code): never rename one, only add.
 */
public enum ErrorCode {
    // input
    INVALID_INPUT(ErrorCategory.INVALID_INPUT),
    INVALID_ADDRESS(ErrorCategory.INVALID_INPUT),
    BLANK_PASSWORD(ErrorCategory.INVALID_INPUT),
    INVALID_PORT(ErrorCategory.INVALID_INPUT),
    INVALID_HOST(ErrorCategory.INVALID_INPUT),
    UNKNOWN_PRESET(ErrorCategory.INVALID_INPUT),
    HEADER_INJECTION(ErrorCategory.INVALID_INPUT),
    UNKNOWN_FOLDER(ErrorCategory.INVALID_INPUT),
    SYNC_PERIOD_NOT_OFFERED(ErrorCategory.INVALID_INPUT),
    UNKNOWN_USER(ErrorCategory.INVALID_INPUT),
    VERIFICATION_CODE_WRONG(ErrorCategory.INVALID_INPUT),
    VERIFICATION_CODE_EXPIRED(ErrorCategory.INVALID_INPUT),
    VERIFICATION_ATTEMPTS_EXCEEDED(ErrorCategory.INVALID_INPUT),
    // who may
    UNAUTHENTICATED(ErrorCategory.UNAUTHENTICATED),
    ACCESS_DENIED(ErrorCategory.FORBIDDEN),
    NOT_OWNER(ErrorCategory.FORBIDDEN),
    PLAN_LIMIT_REACHED(ErrorCategory.FORBIDDEN),
    SHARED_NOT_ALLOWED(ErrorCategory.FORBIDDEN),
    OUTBOUND_NOT_ALLOWED(ErrorCategory.FORBIDDEN),
    // what exists
    MAILBOX_NOT_FOUND(ErrorCategory.NOT_FOUND),
    MESSAGE_NOT_FOUND(ErrorCategory.NOT_FOUND),
    ATTACHMENT_NOT_FOUND(ErrorCategory.NOT_FOUND),
    // state
    DUPLICATE_ADDRESS(ErrorCategory.CONFLICT),
    MAILBOX_INACTIVE(ErrorCategory.CONFLICT),
    MAILBOX_NOT_VERIFIED(ErrorCategory.CONFLICT),
    SYNC_ALREADY_RUNNING(ErrorCategory.CONFLICT),
    /** Someone else changed the same thing meanwhile: reload it and apply the change again. */
    CONCURRENT_MODIFICATION(ErrorCategory.CONFLICT),
    // mail servers
    CONNECTION_FAILED(ErrorCategory.UPSTREAM),
    MESSAGE_GONE_FROM_SERVER(ErrorCategory.UPSTREAM),

    TOO_MANY_DOWNLOADS(ErrorCategory.BUSY),
    // Postroom itself
    UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    INTERNAL(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    ErrorCode(ErrorCategory category) {
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }

    /** The stable, lower-case code: {@code duplicate_address}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
