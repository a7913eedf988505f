package io.postroom.api;

/** Shared validation of the host's opaque identifiers. */
final class Identifiers {
    static final int MAX_LENGTH = 128;

    private Identifiers() {
    }

    static String require(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "The " + what + " id is missing.");
        }
        String trimmed = value.strip();
        if (trimmed.length() > MAX_LENGTH) {
            throw new PostroomException(ErrorCode.INVALID_INPUT,
                    "The " + what + " id is longer than " + MAX_LENGTH + " characters.");
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (Character.isISOControl(trimmed.charAt(i))) {
                throw new PostroomException(ErrorCode.INVALID_INPUT,
                        "The " + what + " id contains a control character.");
            }
        }
        return trimmed;
    }
}
