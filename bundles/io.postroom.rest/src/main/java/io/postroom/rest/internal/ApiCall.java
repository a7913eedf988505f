package io.postroom.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.MessageId;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One authenticated request as a handler sees it: who acts, the path's variables, the query
 * parameters and the body.
 */
final class ApiCall {

    /** Reads the request body (at most the size limit), checking its media type. */
    @FunctionalInterface
    interface BodySource {
        byte[] read();
    }

    private final Actor actor;
    private final Map<String, String> parameters;
    private final String rawQuery;
    private final BodySource body;
    private final ObjectMapper mapper;
    private final String basePath;

    ApiCall(Actor actor, Map<String, String> parameters, String rawQuery, BodySource body, ObjectMapper mapper, String basePath) {
        this.actor = actor;
        this.parameters = Map.copyOf(parameters);
        this.rawQuery = rawQuery;
        this.body = Objects.requireNonNull(body, "body");
        this.mapper = mapper;
        this.basePath = basePath;
    }

    /** Who acts; never null for routes that require authentication. */
    Actor actor() {
        return actor;
    }

    /** The mailbox named by the path's {@code {id}}. */
    MailboxId mailboxId() {
        String text = parameters.get("id");
        try {
            return MailboxId.parse(text);
        } catch (PostroomException e) {
            throw new PostroomException(ErrorCode.INVALID_INPUT,
                    "A mailbox id is a positive number, not '" + text + "'.", Map.of("field", "id"));
        }
    }

    /** The message named by the path's {@code {id}}. */
    MessageId messageId() {
        String text = parameters.get("id");
        try {
            return MessageId.parse(text);
        } catch (PostroomException e) {
            throw new PostroomException(ErrorCode.INVALID_INPUT,
                    "A message id is a positive number, not '" + text + "'.", Map.of("field", "id"));
        }
    }

    /** The attachment named by the path's {@code {n}}: its index among the message's attachments, from 1. */
    int attachmentIndex() {
        String text = parameters.get("n");
        try {
            int index = Integer.parseInt(text);
            if (index >= 1) {
                return index;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new PostroomException(ErrorCode.INVALID_INPUT,
                "An attachment is named by its index from 1 (see the message's attachments), not '" + text + "'.",
                Map.of("field", "n"));
    }

    /**
     * The query parameters; only those in {@code allowed} are accepted (an empty set refuses any).
     *
     * @throws PostroomException {@code invalid_input} naming an unknown parameter
     */
    QueryParameters query(Set<String> allowed) {
        return QueryParameters.parse(rawQuery).allowOnly(allowed);
    }

    /** A required JSON object body with only the given fields. */
    JsonBody body(Set<String> allowed) {
        return body().allowOnly(allowed);
    }

    /** A required JSON object body; the caller checks its fields. */
    JsonBody body() {
        byte[] bytes = body.read();
        if (bytes.length == 0) {
            throw HttpError.malformed("This request needs a JSON object body.");
        }
        return JsonBody.parse(mapper, bytes);
    }

    /** An optional JSON object body: none reads as an empty object. */
    JsonBody optionalBody(Set<String> allowed) {
        byte[] bytes = body.read();
        if (bytes.length == 0) {
            return JsonBody.empty();
        }
        return JsonBody.parse(mapper, bytes).allowOnly(allowed);
    }

    /** The absolute path of a resource below the API root, for {@code Location}. */
    String location(String relative) {
        return basePath + "/" + relative;
    }
}
