package io.postroom.rest.internal;

import io.postroom.rest.AuthenticationRequest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;

/** A servlet request as an {@link AuthenticationRequest}: no body, no servlet types. */
final class ServletAuthenticationRequest implements AuthenticationRequest {
    private final HttpServletRequest request;
    private final String method;
    private final String path;

    ServletAuthenticationRequest(HttpServletRequest request, String method, String path) {
        this.request = request;
        this.method = method;
        this.path = path;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public List<String> headers(String name) {
        return request.getHeaders(name) == null ? List.of() : List.copyOf(Collections.list(request.getHeaders(name)));
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }
}
