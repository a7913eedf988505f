package io.postroom.rest.internal;

import io.postroom.api.message.AttachmentContent;
import java.util.Map;

/**
 * What a handler answers: a status, an entity written as JSON (or raw bytes with their media
 * type, or an attachment streamed with its media type) and extra headers. The servlet closes a
 * streamed attachment whatever happens.
 */
record Response(int status, Object entity, byte[] raw, String mediaType, Map<String, String> headers,
                AttachmentContent stream) {

    static Response ok(Object entity) {
        return new Response(200, entity, null, null, Map.of(), null);
    }

    static Response created(Object entity, String location) {
        return new Response(201, entity, null, null, Map.of("Location", location), null);
    }

    /** 202: the work was queued; {@code location} is where to watch it. */
    static Response accepted(Object entity, String location) {
        return new Response(202, entity, null, null, Map.of("Location", location), null);
    }

    static Response noContent() {
        return new Response(204, null, null, null, Map.of(), null);
    }

    static Response raw(byte[] bytes, String mediaType) {
        return new Response(200, null, bytes, mediaType, Map.of(), null);
    }

    /** 200 with the content streamed from the mail server; nothing is sent before its first byte is read. */
    static Response stream(AttachmentContent content, String mediaType, Map<String, String> headers) {
        return new Response(200, null, null, mediaType, Map.copyOf(headers), content);
    }
}
