package io.postroom.api;

/**
 * What kind of failure an {@link ErrorCode} is. Interfaces map it to their own terms (REST: the
 * HTTP status; shell: the exit message) so that all of them agree.
 */
public enum ErrorCategory {
    /** The input is wrong; the message says what to fix. REST 422 (400 for malformed requests). */
    INVALID_INPUT,
    /** No authenticated actor. REST 401. */
    UNAUTHENTICATED,
    /** The actor may not do this (not the owner, plan does not allow it, ...). REST 403. */
    FORBIDDEN,
    /** The thing does not exist or the actor may not see it. REST 404. */
    NOT_FOUND,
    /** The request clashes with the current state (duplicate, inactive, ...). REST 409. */
    CONFLICT,
    /** A mail server failed or refused. REST 502. */
    UPSTREAM,
    /** Too much at once from one caller or for one mailbox; retry shortly. REST 429. */
    BUSY,
    /** Postroom is not ready (database down, ...); retry later. REST 503. */
    UNAVAILABLE,
    /** A bug. REST 500. */
    INTERNAL
}
