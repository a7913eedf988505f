package io.postroom.mime.internal;

/** A transfer decoder that skips invalid input instead of failing. */
public interface LenientDecoder {
    /** Whether invalid input was skipped so far. */
    boolean hadErrors();

    /** A whole body decoded at once: the bytes, and whether invalid input was skipped. */
    record Decoded(byte[] bytes, boolean hadErrors) {
    }
}
