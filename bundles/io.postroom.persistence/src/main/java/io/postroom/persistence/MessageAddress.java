package io.postroom.persistence;

import io.postroom.api.message.Correspondent;
import java.util.Objects;

/**
 * A name and address of a stored message, as the header had it (not necessarily a valid
 * addr-spec). Linking matches on {@link #addressKey()}.
 */
public record MessageAddress(AddressKind kind, String name, String address) {
    public MessageAddress {
        Objects.requireNonNull(kind, "kind");
        name = name == null ? "" : name;
        address = address == null ? "" : address;
    }

    /** The address in lower case, what linking compares; empty when there is none. */
    public String addressKey() {
        return address.strip().toLowerCase(java.util.Locale.ROOT);
    }

    public Correspondent correspondent() {
        return new Correspondent(name, address);
    }
}
