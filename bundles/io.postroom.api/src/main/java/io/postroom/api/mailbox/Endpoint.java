package io.postroom.api.mailbox;

import java.util.Objects;

/** A mail server address: host, port and security, all resolved (no blanks). */
public record Endpoint(String host, int port, Security security) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + security + ")";
    }
}
