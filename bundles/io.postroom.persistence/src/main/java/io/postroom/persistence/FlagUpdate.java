package io.postroom.persistence;

import java.util.Set;

/** New flags of a message at a UID (a flag change seen on the server). */
public record FlagUpdate(long uid, Set<String> flags, Long modSeq) {
    public FlagUpdate {
        flags = flags == null ? Set.of() : Set.copyOf(flags);
    }
}
