package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SpecialUse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Which folders (IMAP mailboxes on the server) a mailbox synchronises. */
final class FolderChoice {

    private FolderChoice() {
    }

    /** INBOX and the folder marked \Sent, where the server has them. */
    static List<String> defaults(List<RemoteFolder> server) {
        List<String> chosen = new ArrayList<>();
        server.stream().filter(f -> f.inbox() && f.selectable()).findFirst().ifPresent(f -> chosen.add(f.name()));
        server.stream().filter(f -> f.selectable() && f.specialUse().contains(SpecialUse.SENT)).findFirst()
                .ifPresent(f -> chosen.add(f.name()));
        return chosen;
    }

    /**
     * Checks the chosen folders against the server's list: each must exist and be selectable
     * (INBOX in any case). Returns them as the server spells them, without repeats.
     */
    static List<String> check(List<String> chosen, List<RemoteFolder> server) {
        Set<String> result = new LinkedHashSet<>();
        for (String name : chosen) {
            Optional<RemoteFolder> match = server.stream()
                    .filter(f -> f.name().equals(name) || (f.inbox() && "INBOX".equalsIgnoreCase(name)))
                    .findFirst();
            if (match.isEmpty() || !match.get().selectable()) {
                throw new PostroomException(ErrorCode.UNKNOWN_FOLDER,
                        match.isEmpty()
                                ? "The server has no folder '" + name + "'; choose from the folders it lists."
                                : "'" + name + "' is only a container on the server and holds no messages; choose a folder inside it.",
                        Map.of("field", "folders", "folder", name));
            }
            result.add(match.get().name());
        }
        return List.copyOf(result);
    }
}
