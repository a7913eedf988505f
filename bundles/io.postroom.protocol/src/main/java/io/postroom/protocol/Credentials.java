package io.postroom.protocol;

import io.postroom.api.Secret;
import java.util.Objects;

/** A login: user name and password. Prints without the password. */
public record Credentials(String username, Secret password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
