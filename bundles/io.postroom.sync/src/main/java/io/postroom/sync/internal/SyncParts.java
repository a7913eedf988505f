package io.postroom.sync.internal;

import io.postroom.mailbox.MailboxConnections;
import io.postroom.mime.MimeParser;
import io.postroom.persistence.FolderStore;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.QuarantineStore;
import io.postroom.persistence.ScheduleStore;
import io.postroom.persistence.SyncRunStore;
import io.postroom.protocol.MailConnector;
import io.postroom.sync.SyncSettings;
import java.time.Clock;
import java.util.Objects;
import org.osgi.service.event.EventAdmin;

/** Everything the engine works with, as plain objects (OSGi services or, outside OSGi, hand-made). */
record SyncParts(MailConnector connector, MailboxConnections mailboxes, MimeParser parser, MessageStore messages,
                 FolderStore folders, ScheduleStore schedule, SyncRunStore runs, QuarantineStore quarantine,
                 EventAdmin eventAdmin, Clock clock, SyncSettings settings) {
    SyncParts {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
    }
}
