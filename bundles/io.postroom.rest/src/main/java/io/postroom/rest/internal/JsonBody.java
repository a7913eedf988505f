package io.postroom.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A request body: one JSON object whose fields are read by name and type. Unknown fields are
 * refused (they are usually typos), a field that is absent or {@code null} reads as {@code null}
 * ("unchanged" or "default"), a field of the wrong type is refused naming the field.
 */
final class JsonBody {
    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** An empty body, for actions whose body is optional. */
    static JsonBody empty() {
        return new JsonBody(Json.mapper().createObjectNode());
    }

    /**
     * @throws HttpError 400 when the bytes are not one JSON object
     */
    static JsonBody parse(ObjectMapper mapper, byte[] bytes) {
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the offending token, which may be a password: only
            // duplicate field names (never values) are worth repeating.
            String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            String where = " (line " + lineOf(e) + ", column " + columnOf(e) + ").";
            if (original.startsWith("Duplicate field ")) {
                throw HttpError.malformed("The request body has a duplicate field " + original.substring(16).split("\n", 2)[0] + where);
            }
            throw HttpError.malformed("The request body is not valid JSON" + where);
        } catch (IOException e) {
            throw HttpError.malformed("The request body could not be read.");
        }
        if (tree == null || tree.isMissingNode()) {
            throw HttpError.malformed("The request body is empty; send a JSON object.");
        }
        if (!tree.isObject()) {
            throw HttpError.malformed("The request body must be a JSON object, not " + describe(tree) + ".");
        }
        return new JsonBody((ObjectNode) tree);
    }

    /**
     * Refuses any field not in {@code allowed}, naming the first one.
     *
     * @throws PostroomException {@code invalid_input} with details {@code field} and {@code allowed}
     */
    JsonBody allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                List<String> sorted = new ArrayList<>(new TreeSet<>(allowed));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("field", name);
                details.put("allowed", sorted);
                throw new PostroomException(ErrorCode.INVALID_INPUT,
                        "Unknown field '" + name + "'; this request accepts " + String.join(", ", sorted) + ".", details);
            }
        }
        return this;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.textValue();
    }

    /** A single-line text: CR and LF are refused (they would end up in mail headers or logs). */
    String line(String field) {
        String text = text(field);
        if (text != null && (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0)) {
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, field,
                    "The field '" + field + "' must not contain line breaks.");
        }
        return text;
    }

    Secret secret(String field) {
        String text = text(field);
        return text == null ? null : Secret.of(text);
    }

    Integer integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(field, "a whole number", value);
        }
        return value.intValue();
    }

    Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false", value);
        }
        return value.booleanValue();
    }

    /** An array of strings; CR and LF refused in each. */
    List<String> lines(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array of strings", value);
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings", value);
            }
            String text = item.textValue();
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, field,
                        "The values of '" + field + "' must not contain line breaks.");
            }
            out.add(text);
        }
        return out;
    }

    /** An enum constant by name, in any case ({@code "ssl"}, {@code "SSL"}). */
    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
        String text = text(field);
        if (text == null) {
            return null;
        }
        String wanted = text.strip();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(JsonBody::token).collect(Collectors.toList());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("allowed", allowed);
        throw new PostroomException(ErrorCode.INVALID_INPUT,
                "'" + text + "' is not a valid " + field + "; choose one of " + String.join(", ", allowed) + ".", details);
    }

    /** A value parsed by the API's own parser (which throws its own error codes). */
    <T> T parsed(String field, Function<String, T> parser) {
        String text = text(field);
        return text == null ? null : parser.apply(text);
    }

    /** The lower-case form of an enum constant, as the API writes and documents it. */
    static String token(Enum<?> constant) {
        return constant == null ? null : constant.name().toLowerCase(Locale.ROOT);
    }

    private static PostroomException wrongType(String field, String expected, JsonNode value) {
        return PostroomException.invalid(ErrorCode.INVALID_INPUT, field,
                "The field '" + field + "' must be " + expected + ", not " + describe(value) + ".");
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            // never the value itself: it may be a password typed as a number, and errors are logged
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "something else";
        };
    }

    private static int lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static int columnOf(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
    }
}
