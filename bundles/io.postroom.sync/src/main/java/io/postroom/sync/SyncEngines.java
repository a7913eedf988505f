package io.postroom.sync;

import io.postroom.mailbox.MailboxConnections;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.persistence.FolderStore;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.QuarantineStore;
import io.postroom.persistence.ScheduleStore;
import io.postroom.persistence.Stores;
import io.postroom.persistence.SyncRunStore;
import io.postroom.protocol.MailConnector;
import io.postroom.sync.internal.EngineFactory;
import java.time.Clock;
import java.util.Objects;
import org.osgi.service.event.EventAdmin;

/**
 * Builds a {@link SyncEngine} outside OSGi (benchmarks, tools, tests):
 *
 * <pre>{@code
 * try (Stores stores = Stores.open(dataSource);
 *      SyncEngine engine = SyncEngines.builder()
 *              .connector(MailConnectors.create(ConnectorConfig.defaults()...))
 *              .mailboxes(mailboxConnections)          // io.postroom.mailbox.MailboxConnections
 *              .stores(stores)
 *              .settings(SyncSettings.defaults().withNodeId("bench"))
 *              .build()) {
 *     RunReport report = engine.syncNow(mailboxId);    // on this thread
 * }
 * }</pre>
 * Inside Karaf the engine runs by itself; never build one there.
 */
public final class SyncEngines {

    private SyncEngines() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The parts; connector, mailboxes and the stores are required. */
    public static final class Builder {
        private MailConnector connector;
        private MailboxConnections mailboxes;
        private MimeParser parser;
        private MessageStore messages;
        private FolderStore folders;
        private ScheduleStore schedule;
        private SyncRunStore runs;
        private QuarantineStore quarantine;
        private EventAdmin eventAdmin;
        private Clock clock = Clock.systemUTC();
        private SyncSettings settings = SyncSettings.defaults();

        private Builder() {
        }

        public Builder connector(MailConnector value) {
            this.connector = value;
            return this;
        }

        public Builder mailboxes(MailboxConnections value) {
            this.mailboxes = value;
            return this;
        }

        /** Default: {@code MimeParser.create(ParseOptions.defaults())}. */
        public Builder parser(MimeParser value) {
            this.parser = value;
            return this;
        }

        /** All sync stores from {@link Stores#open}. */
        public Builder stores(Stores stores) {
            return stores(stores.messages(), stores.folders(), stores.schedule(), stores.runs(), stores.quarantine());
        }

        public Builder stores(MessageStore messageStore, FolderStore folderStore, ScheduleStore scheduleStore,
                              SyncRunStore runStore, QuarantineStore quarantineStore) {
            this.messages = messageStore;
            this.folders = folderStore;
            this.schedule = scheduleStore;
            this.runs = runStore;
            this.quarantine = quarantineStore;
            return this;
        }

        /** Where events go ({@code postroom/message/STORED}, {@code postroom/sync/*}); none by default. */
        public Builder eventAdmin(EventAdmin value) {
            this.eventAdmin = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder settings(SyncSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        public SyncEngine build() {
            MimeParser p = parser != null ? parser : MimeParser.create(ParseOptions.defaults());
            return EngineFactory.create(connector, mailboxes, p, messages, folders, schedule, runs, quarantine, eventAdmin,
                    clock, settings);
        }
    }
}
