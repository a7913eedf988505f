package io.postroom.api;

/** A user of the host, unique within a tenant. Opaque to Postroom. */
public record UserId(String value) {
    public UserId {
        value = Identifiers.require("user", value);
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
