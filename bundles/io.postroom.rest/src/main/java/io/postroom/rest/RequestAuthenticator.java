package io.postroom.rest;

import io.postroom.api.Actor;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides who sends a REST request. Postroom ships one that checks HTTP Basic credentials against
 * a JAAS realm (Karaf's {@code karaf} realm by default). A host that authenticates its users
 * differently registers its own implementation as an OSGi service with a higher
 * {@code service.ranking}; only the highest-ranked authenticator is asked.
 *
 * <p>Implementations must not keep credentials (passwords, tokens) after the call, and must not
 * put them into log entries or exception messages.
 */
@ConsumerType
public interface RequestAuthenticator {

    /** The challenge sent in {@code WWW-Authenticate} with every 401 answer. */
    String BASIC_CHALLENGE = "Basic realm=\"postroom\"";

    /**
     * @param request the request's method, path, headers and remote address
     * @return who acts, or empty when the request carries no valid credentials (the API answers
     *         401 {@code unauthenticated}). Throwing a {@link io.postroom.api.PostroomException}
     *         answers with its code (for example 503 {@code unavailable} when the user directory is
     *         down).
     */
    Optional<Actor> authenticate(AuthenticationRequest request);

    /** What to send in {@code WWW-Authenticate} when {@link #authenticate} found nobody. */
    default String challenge() {
        return BASIC_CHALLENGE;
    }
}
