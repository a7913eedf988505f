package io.postroom.api;

/** A tenant of the host (one CRM account). Opaque to Postroom. */
public record TenantId(String value) {
    public TenantId {
        value = Identifiers.require("tenant", value);
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
