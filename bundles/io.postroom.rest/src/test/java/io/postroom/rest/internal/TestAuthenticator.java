package io.postroom.rest.internal;

import io.postroom.api.Actor;
import io.postroom.rest.AuthenticationRequest;
import io.postroom.rest.RequestAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A host's authenticator as a host would write it: Basic credentials against a fixed table. */
final class TestAuthenticator implements RequestAuthenticator {
    static final String TENANT = "demo";
    static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-secret", "bob", "bob-secret", "carol", "carol-secret", "admin", "admin-secret");

    /** What the last request showed (the request itself is only valid during the call). */
    record Seen(String method, String path, Optional<String> authorization, List<String> authorizations,
                List<String> missing, String remoteAddress) {
    }

    volatile Seen last;

    @Override
    public Optional<Actor> authenticate(AuthenticationRequest request) {
        last = new Seen(request.method(), request.path(), request.header("AUTHORIZATION"), request.headers("authorization"),
                request.headers("X-Missing"), request.remoteAddress());
        return request.header("authorization")
                .filter(h -> h.startsWith("Basic "))
                .map(h -> new String(Base64.getDecoder().decode(h.substring(6)), StandardCharsets.UTF_8))
                .filter(s -> s.indexOf(':') > 0)
                .filter(s -> s.substring(s.indexOf(':') + 1).equals(PASSWORDS.get(s.substring(0, s.indexOf(':')))))
                .map(s -> Actor.of(TENANT, s.substring(0, s.indexOf(':'))));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
