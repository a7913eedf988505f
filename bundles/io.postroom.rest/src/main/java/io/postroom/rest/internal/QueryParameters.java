package io.postroom.rest.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The query string of a request, read as strictly as a JSON body: unknown parameters are refused
 * (they are usually typos), a parameter given twice is refused, and each value is checked for its
 * type and range, naming the parameter in {@code details.field}.
 */
final class QueryParameters {
    /** Longest value accepted for any parameter; cursors and folder names are far shorter. */
    static final int MAX_VALUE_LENGTH = 1024;

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * @param rawQuery the query string as sent (percent-encoded), or null
     * @throws HttpError 400 when it is not valid percent-encoded UTF-8
     */
    static QueryParameters parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        return new QueryParameters(values);
    }

    /**
     * Refuses any parameter not in {@code allowed}.
     *
     * @throws PostroomException {@code invalid_input} with details {@code field} and {@code allowed}
     */
    QueryParameters allowOnly(java.util.Set<String> allowed) {
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                List<String> sorted = new ArrayList<>(new TreeSet<>(allowed));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("field", name);
                details.put("allowed", sorted);
                throw new PostroomException(ErrorCode.INVALID_INPUT, sorted.isEmpty()
                        ? "Unknown query parameter '" + name + "'; this request takes none."
                        : "Unknown query parameter '" + name + "'; this request accepts " + String.join(", ", sorted) + ".", details);
            }
        }
        return this;
    }

    /** A single-line value, or null when the parameter is absent. */
    String line(String name) {
        List<String> all = values.get(name);
        if (all == null) {
            return null;
        }
        if (all.size() > 1) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name, "Give the query parameter '" + name + "' once.");
        }
        String value = all.get(0);
        if (value.isBlank()) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                    "The query parameter '" + name + "' is empty; give a value or leave it out.");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                    "The query parameter '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters.");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                        "The query parameter '" + name + "' must not contain control characters such as line breaks.");
            }
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}; {@code defaultValue} when absent. */
    int integer(String name, int min, int max, int defaultValue) {
        String text = line(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", name);
        details.put("minimum", min);
        details.put("maximum", max);
        throw new PostroomException(ErrorCode.INVALID_INPUT,
                "The query parameter '" + name + "' must be a whole number from " + min + " to " + max + ", not '" + text + "'.",
                details);
    }

    /** A mailbox id, or null when absent. */
    MailboxId mailboxId(String name) {
        String text = line(name);
        if (text == null) {
            return null;
        }
        try {
            return MailboxId.parse(text);
        } catch (PostroomException e) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                    "The query parameter '" + name + "' must be a mailbox id (a positive number), not '" + text + "'.");
        }
    }

    /**
     * An opaque cursor as a list handed it out ({@code nextCursor}): printable ASCII without
     * spaces. Whether it is one the service knows is the service's to say.
     */
    String cursor(String name) {
        String text = line(name);
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                        "The query parameter '" + name + "' must be the nextCursor of the previous page, unchanged.");
            }
        }
        return text;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.malformed("The query string is not valid percent-encoding.");
        }
    }
}
