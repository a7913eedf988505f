package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.util.Map;

/** Checks for text that may reach a mail header or a protocol command. */
final class TextRules {

    private TextRules() {
    }

    /** CR, LF and the other line breaks (NEL, LS, PS) that could end a header line. */
    static boolean hasLineBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses line breaks (HEADER_INJECTION), other control characters and text over {@code max}
     * characters (INVALID_INPUT). The messages name the field, never the value.
     *
     * @return the value, stripped
     */
    static String headerSafe(String field, String label, String value, int max) {
        if (value == null) {
            return "";
        }
        if (hasLineBreak(value)) {
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, field,
                    "The " + label + " must not contain line breaks.");
        }
        String s = value.strip();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)) && s.charAt(i) != '\t') {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, field,
                        "The " + label + " must not contain control characters.");
            }
        }
        if (s.length() > max) {
            throw new PostroomException(ErrorCode.INVALID_INPUT,
                    "The " + label + " is longer than " + max + " characters.", Map.of("field", field, "max", max));
        }
        return s;
    }
}
