package io.postroom.protocol.internal;

import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SpecialUse;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Maps LIST responses (name and attributes, RFC 3501 / RFC 6154 / RFC 5258) to {@link RemoteFolder}s. */
public final class RemoteFolders {

    /** INBOX first, then by name ignoring case. */
    public static final Comparator<RemoteFolder> ORDER = Comparator
            .comparing((RemoteFolder f) -> !f.inbox())
            .thenComparing(RemoteFolder::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(RemoteFolder::name);

    private RemoteFolders() {
    }

    /**
     * @param name       the folder's full name
     * @param attributes the LIST attributes, such as {@code \HasNoChildren}, {@code \Sent}, {@code \Noselect}
     */
    public static RemoteFolder of(String name, String[] attributes) {
        Set<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
        boolean selectable = true;
        if (attributes != null) {
            for (String a : attributes) {
                if (a == null) {
                    continue;
                }
                if (a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent")) {
                    selectable = false;
                } else if (a.startsWith("\\")) {
                    SpecialUse.fromAttribute(a).ifPresent(uses::add);
                }
            }
        }
        return new RemoteFolder(name, uses, selectable);
    }

    public static List<RemoteFolder> sorted(List<RemoteFolder> folders) {
        return folders.stream().sorted(ORDER).toList();
    }
}
