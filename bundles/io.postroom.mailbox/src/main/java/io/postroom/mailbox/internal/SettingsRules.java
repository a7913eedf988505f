package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.spi.User;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The owner's settings: defaults, and a change applied and checked field by field. Checks that
 * need the host (do the users exist, does the plan allow sharing) or the server (do the folders
 * exist) are the service's.
 */
final class SettingsRules {
    static final int MAX_SENDER_NAME = 200;
    static final int MAX_FOLDER_NAME = 1000;

    private SettingsRules() {
    }

    /**
     * What a new mailbox starts with: the owner's name as sender, personal, messages visible to the
     * owner only, linking on for received and sent mail, two weeks back; folders come from the server.
     */
    static MailboxSettings defaults(User owner) {
        String sender = owner.displayName().replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]", " ").strip();
        if (sender.length() > MAX_SENDER_NAME) {
            sender = sender.substring(0, MAX_SENDER_NAME);
        }
        return new MailboxSettings(sender, MailboxSettings.DEFAULT_NAME_TEMPLATE, AccessLevel.PERSONAL, Set.of(),
                MessageVisibility.OWNER_ONLY, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DEFAULT, List.of());
    }

    /** {@code base} with the non-null fields of {@code u}, checked. */
    static MailboxSettings apply(MailboxSettings base, SettingsUpdate u, UserId owner) {
        String senderName = u.senderName() == null ? base.senderName()
                : TextRules.headerSafe("senderName", "sender name", u.senderName(), MAX_SENDER_NAME);
        String nameTemplate = u.nameTemplate() == null ? base.nameTemplate() : NameTemplate.check(u.nameTemplate());

        AccessLevel access = u.accessLevel() == null ? base.accessLevel() : u.accessLevel();
        Set<UserId> shared;
        if (u.sharedWith() != null) {
            shared = without(u.sharedWith(), owner);
            if (access == AccessLevel.PERSONAL && !shared.isEmpty()) {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "sharedWith",
                        "A personal mailbox is not shared: choose access level shared to name users.");
            }
        } else {
            shared = access == AccessLevel.PERSONAL ? Set.of() : base.sharedWith();
        }
        if (access == AccessLevel.SHARED && shared.isEmpty()) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "sharedWith",
                    "Name at least one user to share the mailbox with, or keep it personal.");
        }

        Set<UserId> allowed;
        if (u.allowedSenders() != null) {
            allowed = without(u.allowedSenders(), owner);
            Set<UserId> outsiders = allowed.stream().filter(a -> !shared.contains(a)).collect(Collectors.toSet());
            if (!outsiders.isEmpty()) {
                throw new PostroomException(ErrorCode.INVALID_INPUT,
                        "Only users the mailbox is shared with may be allowed to send from it; not "
                                + names(outsiders) + ".", Map.of("field", "allowedSenders", "users", names(outsiders)));
            }
        } else {
            // users who lost access lose the right to send
            allowed = base.allowedSenders().stream().filter(shared::contains).collect(Collectors.toSet());
        }

        List<String> folders = u.folders() == null ? base.folders() : folders(u.folders());
        return new MailboxSettings(senderName, nameTemplate, access, shared,
                u.visibility() == null ? base.visibility() : u.visibility(),
                u.privateMessages() == null ? base.privateMessages() : u.privateMessages(),
                allowed,
                u.crmLinking() == null ? base.crmLinking() : u.crmLinking(),
                u.keep() == null ? base.keep() : u.keep(),
                u.syncPeriod() == null ? base.syncPeriod() : u.syncPeriod(),
                folders);
    }

    /** Names of the settings that differ, as the fields of {@link SettingsUpdate} are named. */
    static List<String> changed(MailboxSettings a, MailboxSettings b) {
        List<String> names = new ArrayList<>();
        add(names, "senderName", a.senderName(), b.senderName());
        add(names, "nameTemplate", a.nameTemplate(), b.nameTemplate());
        add(names, "accessLevel", a.accessLevel(), b.accessLevel());
        add(names, "sharedWith", a.sharedWith(), b.sharedWith());
        add(names, "visibility", a.visibility(), b.visibility());
        add(names, "privateMessages", a.privateMessages(), b.privateMessages());
        add(names, "allowedSenders", a.allowedSenders(), b.allowedSenders());
        add(names, "crmLinking", a.crmLinking(), b.crmLinking());
        add(names, "keep", a.keep(), b.keep());
        add(names, "syncPeriod", a.syncPeriod(), b.syncPeriod());
        add(names, "folders", a.folders(), b.folders());
        return names;
    }

    private static void add(List<String> names, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            names.add(name);
        }
    }

    private static List<String> folders(List<String> requested) {
        Set<String> out = new LinkedHashSet<>();
        for (String f : requested) {
            if (f == null || f.isBlank()) {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "folders", "A folder name is empty.");
            }
            if (TextRules.hasLineBreak(f) || f.length() > MAX_FOLDER_NAME) {
                throw PostroomException.invalid(ErrorCode.UNKNOWN_FOLDER, "folders",
                        "The server has no folder with that name; choose from the folders it lists.");
            }
            out.add(f);
        }
        if (out.isEmpty()) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "folders", "Choose at least one folder to synchronise.");
        }
        return List.copyOf(out);
    }

    private static Set<UserId> without(Set<UserId> users, UserId owner) {
        Set<UserId> s = new LinkedHashSet<>(users);
        s.remove(owner);
        s.remove(null);
        return Set.copyOf(s);
    }

    static String names(Set<UserId> users) {
        return users.stream().map(UserId::value).sorted().collect(Collectors.joining(", "));
    }
}
