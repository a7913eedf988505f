package io.postroom.sample.host.internal;

import java.util.Objects;
import java.util.Set;

/** A user of a JAAS realm with the roles the realm gives it (directly or through its groups). */
record RealmUser(String name, Set<String> roles) {
    RealmUser {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
    }
}
