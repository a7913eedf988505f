package io.postroom.rest.internal;

import java.util.Map;

/**
 * What a handler answers: a status, an entity written as JSON (or raw bytes with their media
 * type) and extra headers.
 */
record Response(int status, Object entity, byte[] raw, String mediaType, Map<String, String> headers) {

    static Response ok(Object entity) {
        return new Response(200, entity, null, null, Map.of());
    }

    static Response created(Object entity, String location) {
        return new Response(201, entity, null, null, Map.of("Location", location));
    }

    static Response noContent() {
        return new Response(204, null, null, null, Map.of());
    }

    static Response raw(byte[] bytes, String mediaType) {
        return new Response(200, null, bytes, mediaType, Map.of());
    }
}
