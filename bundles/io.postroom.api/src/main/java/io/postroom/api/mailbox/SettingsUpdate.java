package io.postroom.api.mailbox;

import io.postroom.api.UserId;
import java.util.List;
import java.util.Set;

/**
 * A change to some settings: a null field stays as it is (on creation: takes its default). See
 * {@link MailboxSettings} for the meaning of each field.
 */
public record SettingsUpdate(String senderName, String nameTemplate, AccessLevel accessLevel, Set<UserId> sharedWith,
                             MessageVisibility visibility, Boolean privateMessages, Set<UserId> allowedSenders,
                             Boolean crmLinking, KeepPolicy keep, SyncPeriod syncPeriod, List<String> folders) {

    public static final SettingsUpdate NONE = new SettingsUpdate(null, null, null, null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return this.equals(NONE);
    }
}
