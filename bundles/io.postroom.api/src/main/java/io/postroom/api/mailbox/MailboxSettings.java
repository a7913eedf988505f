package io.postroom.api.mailbox;

import io.postroom.api.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the owner chooses about a mailbox.
 *
 * @param senderName      display name in From; never contains CR or LF
 * @param nameTemplate    the mailbox's name in lists; may use {@code {{first_name}}} and {@code {{last_name}}} of the owner
 * @param accessLevel     personal, or shared with {@code sharedWith}
 * @param sharedWith      users the mailbox is shared with (empty when personal)
 * @param visibility      who may see its messages in the CRM
 * @param privateMessages when true, only the owner sees subjects, bodies and attachments; others see that messages exist
 * @param allowedSenders  users who may send from it besides the owner; empty means every user who has access
 * @param crmLinking      whether messages are linked to CRM contacts and companies
 * @param keep            which messages linking keeps
 * @param syncPeriod      how far back to synchronise
 * @param folders         folders to synchronise (full names)
 */
public record MailboxSettings(String senderName, String nameTemplate, AccessLevel accessLevel, Set<UserId> sharedWith,
                              MessageVisibility visibility, boolean privateMessages, Set<UserId> allowedSenders,
                              boolean crmLinking, KeepPolicy keep, SyncPeriod syncPeriod, List<String> folders) {
    public static final String DEFAULT_NAME_TEMPLATE = "{{first_name}} {{last_name}}";

    public MailboxSettings {
        Objects.requireNonNull(accessLevel, "accessLevel");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(syncPeriod, "syncPeriod");
        senderName = senderName == null ? "" : senderName;
        nameTemplate = nameTemplate == null ? "" : nameTemplate;
        sharedWith = sharedWith == null ? Set.of() : Set.copyOf(sharedWith);
        allowedSenders = allowedSenders == null ? Set.of() : Set.copyOf(allowedSenders);
        folders = folders == null ? List.of() : List.copyOf(folders);
    }
}
