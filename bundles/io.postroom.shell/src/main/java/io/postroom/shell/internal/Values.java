package io.postroom.shell.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses option values into the API's types, with the API's error codes and a message that
 * names the option. Enum values are written and read as the REST API does: lower case, with
 * {@code -} accepted for {@code _}.
 */
final class Values {
    static final List<String> YES_NO = List.of("yes", "no");

    private Values() {
    }

    /**
     * A whole number from {@code min} to {@code max}; {@code defaultValue} when not given.
     *
     * @throws PostroomException {@code invalid_input} naming the option
     */
    static int number(String option, String value, int min, int max, int defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw PostroomException.invalid(ErrorCode.INVALID_INPUT, option,
                "The value of " + option + " is a whole number from " + min + " to " + max + ", not '" + value + "'.");
    }

    /**
     * Text from outside (a subject, a name, a message body, a server's error) made safe for a
     * terminal: escape sequences and other control characters are dropped, so that a message
     * cannot retitle the window, clear the screen or hide lines. Line breaks and tabs are kept;
     * CR LF becomes LF.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' || cp == '\t') {
                out.appendCodePoint(cp);
            } else if (!Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT) {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** {@link #printable} on one line, for a table cell: line breaks and tabs become spaces. */
    static String cell(String text) {
        return printable(text).replace('\n', ' ').replace('\t', ' ');
    }

    /** A single-line text: CR and LF are refused (they would end up in mail headers). */
    static String line(String option, String value) {
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, option, "The value of " + option + " must not contain line breaks.");
        }
        return value;
    }

    static Boolean yesNo(String option, String value) {
        if (value == null) {
            return null;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "y":
                return Boolean.TRUE;
            case "no", "false", "off", "n":
                return Boolean.FALSE;
            default:
                throw new PostroomException(ErrorCode.INVALID_INPUT,
                        "'" + value + "' is not a valid value of " + option + "; choose yes or no.",
                        Map.of("field", option, "allowed", YES_NO));
        }
    }

    static Integer port(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw PostroomException.invalid(ErrorCode.INVALID_PORT, option,
                    "The value of " + option + " is a port number from 1 to 65535, not '" + value + "'.");
        }
    }

    static <E extends Enum<E>> E enumValue(String option, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        String wanted = value.strip().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        List<String> allowed = tokens(type);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", option);
        details.put("allowed", allowed);
        throw new PostroomException(ErrorCode.INVALID_INPUT,
                "'" + value + "' is not a valid value of " + option + "; choose one of " + String.join(", ", allowed) + ".", details);
    }

    /** The values of an enum as the shell shows and completes them. */
    static <E extends Enum<E>> List<String> tokens(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Values::token).collect(Collectors.toList());
    }

    static String token(Enum<?> constant) {
        return constant == null ? "" : constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A repeated option: null when not given; blank values are dropped, so {@code --folder ""}
     * alone gives an empty list.
     */
    static List<String> lines(String option, List<String> values) {
        if (values == null) {
            return null;
        }
        return values.stream().map(v -> line(option, v)).filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    static Set<UserId> users(String option, List<String> values) {
        List<String> ids = lines(option, values);
        if (ids == null) {
            return null;
        }
        Set<UserId> users = new LinkedHashSet<>();
        for (String id : ids) {
            users.add(UserId.of(id));
        }
        return users;
    }
}
