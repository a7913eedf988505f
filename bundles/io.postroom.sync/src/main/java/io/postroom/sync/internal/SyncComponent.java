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

    static SyncSettings settings(SyncConfig c) {
        SyncSettings d = SyncSettings.defaults();
        String node = c.nodeId() == null || c.nodeId().isBlank() ? d.nodeId() : c.nodeId().strip();
        int parse = c.parseThreads() <= 0 ? d.parseThreads() : c.parseThreads();
        return new SyncSettings(node, Duration.ofSeconds(c.pollSeconds()), c.workers(), parse,
                Duration.ofSeconds(c.leaseSeconds()), c.batchMessages(), c.batchKilobytes() * 1024L, c.quarantineAttempts(),
                c.backfill(), c.backfillMessages(), Duration.ofSeconds(c.backoffSeconds()), d.targetsRefresh(),
                d.dbRetries(), c.keepRuns(), c.qresync(), c.maxHeaderKilobytes() * 1024);
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
