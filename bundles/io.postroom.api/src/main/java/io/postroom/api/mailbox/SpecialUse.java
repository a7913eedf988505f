package io.postroom.api.mailbox;

import java.util.Locale;
import java.util.Optional;

/** SPECIAL-USE attributes of folders (RFC 6154). */
public enum SpecialUse {
    ALL, ARCHIVE, DRAFTS, FLAGGED, JUNK, SENT, TRASH;

    /** The IMAP attribute, such as {@code \Sent}. */
    public String attribute() {
        return "\\" + name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    public static Optional<SpecialUse> fromAttribute(String attribute) {
        if (attribute == null) {
            return Optional.empty();
        }
        String a = attribute.startsWith("\\") ? attribute.substring(1) : attribute;
        for (SpecialUse u : values()) {
            if (u.name().equalsIgnoreCase(a)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
