package io.postroom.api.spi;

import io.postroom.api.TenantId;
import java.util.Objects;

/** A tenant as the host knows it. */
public record Tenant(TenantId id, String name) {
    public Tenant {
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id.value() : name;
    }
}
