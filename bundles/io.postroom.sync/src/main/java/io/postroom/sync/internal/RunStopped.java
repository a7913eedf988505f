package io.postroom.sync.internal;

/** The run must stop: its node is shutting down (the next run resumes where it stopped). */
final class RunStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunStopped(String message) {
        super(message, null, false, false);
    }
}
