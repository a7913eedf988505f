package io.postroom.sync.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncStatus;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mime.MimeParser;
import io.postroom.persistence.FolderStore;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.QuarantineStore;
import io.postroom.persistence.ScheduleStore;
import io.postroom.persistence.SyncRunStore;
import io.postroom.protocol.MailConnector;
import io.postroom.sync.SyncSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The node's sync engine as a component: it starts polling once activated and stops (releasing
 * its leases) when deactivated; it is also the {@link SyncService}.
 */
@Component(service = SyncService.class, immediate = true, configurationPid = SyncConfig.PID)
@Designate(ocd = SyncConfig.class)
public final class SyncComponent implements SyncService {
    private final Engine engine;
    private final SyncServiceImpl service;

    @Activate
    public SyncComponent(@Reference MailConnector connector, @Reference MailboxConnections mailboxes,
                         @Reference MimeParser parser, @Reference MessageStore messages, @Reference FolderStore folders,
                         @Reference ScheduleStore schedule, @Reference SyncRunStore runs,
                         @Reference QuarantineStore quarantine, @Reference MailboxStore mailboxStore,
                         @Reference TenantDirectory directory, @Reference EventAdmin eventAdmin, SyncConfig config) {
        SyncParts parts = new SyncParts(connector, mailboxes, parser, messages, folders, schedule, runs, quarantine,
                eventAdmin, Clock.systemUTC(), settings(config));
        this.engine = new Engine(parts);
        this.service = new SyncServiceImpl(new SyncAccess(directory, mailboxStore), parts, engine);
        engine.start();
    }

    /**
     * The configuration as settings, each number checked against its metatype bounds (Configuration
     * Admin hands over any value).
     *
     * @throws IllegalArgumentException naming the first property out of bounds and what it must be
     */
    static SyncSettings settings(SyncConfig c) {
        SyncSettings d = SyncSettings.defaults();
        String node = c.nodeId() == null || c.nodeId().isBlank() ? d.nodeId() : c.nodeId().strip();
        int parse = within("parseThreads", c.parseThreads(), 0, 64);
        return new SyncSettings(node, Duration.ofSeconds(within("pollSeconds", c.pollSeconds(), 1, 3600)),
                within("workers", c.workers(), 1, 256), parse == 0 ? d.parseThreads() : parse,
                Duration.ofSeconds(within("leaseSeconds", c.leaseSeconds(), 5, 3600)),
                within("batchMessages", c.batchMessages(), 1, 5000),
                within("batchKilobytes", c.batchKilobytes(), 64, 1 << 20) * 1024L,
                within("quarantineAttempts", c.quarantineAttempts(), 1, 100), c.backfill(),
                within("backfillMessages", c.backfillMessages(), 1, 1_000_000),
                Duration.ofSeconds(within("backoffSeconds", c.backoffSeconds(), 1, 86_400)), d.targetsRefresh(),
                d.dbRetries(), within("keepRuns", c.keepRuns(), 1, 1000), c.qresync(),
                within("maxHeaderKilobytes", c.maxHeaderKilobytes(), SyncSettings.MIN_HEADER_BYTES / 1024,
                        SyncSettings.MAX_HEADER_BYTES / 1024) * 1024);
    }

    private static int within(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " of " + SyncConfig.PID + " must be between " + min + " and " + max
                    + ", not " + value);
        }
        return value;
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public SyncStatus syncNow(Actor actor, MailboxId mailbox) {
        return service.syncNow(actor, mailbox);
    }

    @Override
    public SyncStatus status(Actor actor, MailboxId mailbox) {
        return service.status(actor, mailbox);
    }

    @Override
    public List<SyncRun> history(Actor actor, MailboxId mailbox, int limit) {
        return service.history(actor, mailbox, limit);
    }

    @Override
    public List<QuarantinedMessage> quarantine(Actor actor, MailboxId mailbox) {
        return service.quarantine(actor, mailbox);
    }

    @Override
    public List<QuarantinedMessage> quarantine(Actor actor) {
        return service.quarantine(actor);
    }

    @Override
    public SyncStatus retryQuarantined(Actor actor, MailboxId mailbox) {
        return service.retryQuarantined(actor, mailbox);
    }
}
