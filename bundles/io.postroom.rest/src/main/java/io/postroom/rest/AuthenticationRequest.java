package io.postroom.rest;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link RequestAuthenticator} may look at: a request without its body, free of servlet
 * types. Valid only during the {@link RequestAuthenticator#authenticate} call.
 */
@ProviderType
public interface AuthenticationRequest {

    /** The HTTP method, upper case: {@code GET}, {@code POST}, ... */
    String method();

    /** The path below {@code /postroom/api/v1}, starting with {@code /}: {@code /mailboxes/7}. */
    String path();

    /** The first value of a header (name compared without case), if present. */
    Optional<String> header(String name);

    /** All values of a header (name compared without case); empty if absent. */
    List<String> headers(String name);

    /** The client's IP address as the HTTP server sees it (a proxy's, behind a proxy). */
    String remoteAddress();
}
