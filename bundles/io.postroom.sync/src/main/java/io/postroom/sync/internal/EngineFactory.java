package io.postroom.sync.internal;

import io.postroom.mailbox.MailboxConnections;
import io.postroom.mime.MimeParser;
import io.postroom.persistence.FolderStore;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.QuarantineStore;
import io.postroom.persistence.ScheduleStore;
import io.postroom.persistence.SyncRunStore;
import io.postroom.protocol.MailConnector;
import io.postroom.sync.SyncEngine;
import io.postroom.sync.SyncSettings;
import java.time.Clock;
import org.osgi.service.event.EventAdmin;

/** Creates engines for {@link io.postroom.sync.SyncEngines} (the engine itself stays internal). */
public final class EngineFactory {
    private EngineFactory() {
    }

    public static SyncEngine create(MailConnector connector, MailboxConnections mailboxes, MimeParser parser,
                                    MessageStore messages, FolderStore folders, ScheduleStore schedule, SyncRunStore runs,
                                    QuarantineStore quarantine, EventAdmin eventAdmin, Clock clock, SyncSettings settings) {
        return new Engine(new SyncParts(connector, mailboxes, parser, messages, folders, schedule, runs, quarantine,
                eventAdmin, clock, settings));
    }
}
