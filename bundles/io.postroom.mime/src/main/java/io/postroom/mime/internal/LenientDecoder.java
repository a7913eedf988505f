package io.postroom.mime.internal;

/** A transfer decoder that skips invalid input instead of failing. */
public interface LenientDecoder {
    /** Whether invalid input was skipped so far. */
    boolean hadErrors();
}
