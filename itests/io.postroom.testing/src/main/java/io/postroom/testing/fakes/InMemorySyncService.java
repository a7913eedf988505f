package io.postroom.testing.fakes;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncState;
import io.postroom.api.sync.SyncStatus;
import io.postroom.api.sync.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simple in-memory {@link SyncService} honouring the contract as far as the REST API and the
 * shell need: the access rules of the mailbox (owner, users it is shared with, tenant admins; via
 * {@link InMemoryMailboxService#visibleTo}), tenant-wide quarantine for admins only, no sync of an
 * inactive mailbox, and {@code sync_already_running} while a run is in progress.
 *
 * <p>Nothing runs by itself: a test drives each run with {@link #start}, {@link #progress} and
 * {@link #finish}, as a sync engine on some node would.
 */
public final class InMemorySyncService implements SyncService {
    /** The node every run of this fake runs on. */
    public static final String NODE = "node-a";
    /** The plan interval the fake schedules with. */
    public static final Duration INTERVAL = Duration.ofMinutes(10);

    private static final class Entry {
        SyncState state = SyncState.IDLE;
        SyncProgress progress;
        Instant nextRunAt = Instant.now().plus(INTERVAL);
        Instant lastStartedAt;
        Instant lastFinishedAt;
        String lastError;
        long downloaded;
        long assigned;
        List<FolderStatus> folders = List.of();
        final List<SyncRun> runs = new ArrayList<>(); // newest first
        final List<QuarantinedMessage> quarantine = new ArrayList<>();
        SyncTrigger trigger = SyncTrigger.SCHEDULED;
        int requests;
    }

    private final InMemoryMailboxService mailboxes;
    private final Map<MailboxId, Entry> entries = new HashMap<>();
    private final AtomicLong runIds = new AtomicLong();
    private final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();

    public InMemorySyncService(InMemoryMailboxService mailboxes) {
        this.mailboxes = mailboxes;
    }

    // ---------------------------------------------------------------- the contract

    @Override
    public synchronized SyncStatus syncNow(Actor actor, MailboxId mailbox) {
        maybeFail();
        Mailbox m = mailboxes.visibleTo(actor, mailbox);
        if (!m.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE,
                    "The mailbox " + m.address() + " is inactive; activate it before synchronising it.");
        }
        Entry e = entry(mailbox);
        if (e.state == SyncState.RUNNING) {
            throw new PostroomException(ErrorCode.SYNC_ALREADY_RUNNING,
                    "A sync of " + m.address() + " is running on " + e.progress.node() + "; wait for it to finish.",
                    Map.of("node", e.progress.node()));
        }
        e.requests++;
        e.state = SyncState.QUEUED;
        e.trigger = SyncTrigger.MANUAL;
        e.nextRunAt = Instant.now();
        return status(m, e);
    }

    @Override
    public synchronized SyncStatus status(Actor actor, MailboxId mailbox) {
        maybeFail();
        Mailbox m = mailboxes.visibleTo(actor, mailbox);
        return status(m, entry(mailbox));
    }

    @Override
    public synchronized List<SyncRun> history(Actor actor, MailboxId mailbox, int limit) {
        maybeFail();
        if (limit < 1) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "limit", "Ask for at least one run, not " + limit + ".");
        }
        mailboxes.visibleTo(actor, mailbox);
        List<SyncRun> runs = entry(mailbox).runs;
        return List.copyOf(runs.subList(0, Math.min(limit, runs.size())));
    }

    @Override
    public synchronized List<QuarantinedMessage> quarantine(Actor actor, MailboxId mailbox) {
        maybeFail();
        mailboxes.visibleTo(actor, mailbox);
        return List.copyOf(entry(mailbox).quarantine);
    }

    @Override
    public synchronized List<QuarantinedMessage> quarantine(Actor actor) {
        maybeFail();
        if (!InMemoryMailboxService.isAdmin(actor)) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED,
                    "Only a tenant admin may list the quarantine of all mailboxes; list one mailbox's instead.");
        }
        List<QuarantinedMessage> all = new ArrayList<>();
        for (Mailbox m : mailboxes.inTenant(actor)) {
            all.addAll(entry(m.id()).quarantine);
        }
        return all;
    }

    @Override
    public synchronized SyncStatus retryQuarantined(Actor actor, MailboxId mailbox) {
        maybeFail();
        Mailbox m = mailboxes.visibleTo(actor, mailbox);
        Entry e = entry(mailbox);
        e.quarantine.replaceAll(q -> new QuarantinedMessage(q.mailbox(), q.folder(), q.uidValidity(), q.uid(), q.error(),
                q.attempts(), q.lastAttemptAt(), false));
        if (m.active() && e.state != SyncState.RUNNING) {
            e.state = SyncState.QUEUED;
            e.trigger = SyncTrigger.MANUAL;
            e.nextRunAt = Instant.now();
        }
        return status(m, e);
    }

    // ---------------------------------------------------------------- what a sync engine would do

    /** A node picks up the mailbox: RUNNING with progress 0 of {@code foldersTotal}. */
    public synchronized void start(MailboxId mailbox, int foldersTotal, long messagesEstimated) {
        Entry e = entry(mailbox);
        e.state = SyncState.RUNNING;
        e.lastStartedAt = Instant.now();
        e.progress = new SyncProgress(0, foldersTotal, null, 0, messagesEstimated, e.lastStartedAt, NODE);
    }

    /** The running sync reports progress. */
    public synchronized void progress(MailboxId mailbox, int foldersDone, String currentFolder, long messagesDone) {
        Entry e = entry(mailbox);
        if (e.state != SyncState.RUNNING) {
            throw new IllegalStateException("No sync of " + mailbox + " is running");
        }
        SyncProgress p = e.progress;
        e.progress = new SyncProgress(foldersDone, p.foldersTotal(), currentFolder, messagesDone, p.messagesEstimated(),
                p.startedAt(), p.node());
    }

    /** The running sync ends; the run is added to the history and returned. */
    public synchronized SyncRun finish(MailboxId mailbox, SyncOutcome outcome, long messagesStored, String error) {
        Entry e = entry(mailbox);
        if (e.state != SyncState.RUNNING) {
            throw new IllegalStateException("No sync of " + mailbox + " is running");
        }
        Instant now = Instant.now();
        SyncRun run = new SyncRun(runIds.incrementAndGet(), e.trigger, e.lastStartedAt, now, outcome, messagesStored,
                0, 0, 0, error, NODE);
        e.runs.add(0, run);
        e.lastFinishedAt = now;
        e.lastError = outcome == SyncOutcome.FAILED ? error : null;
        e.downloaded += messagesStored;
        e.progress = null;
        e.trigger = SyncTrigger.SCHEDULED;
        boolean transientFailure = outcome == SyncOutcome.FAILED;
        e.state = transientFailure ? SyncState.WAITING_RETRY : SyncState.IDLE;
        e.nextRunAt = now.plus(transientFailure ? Duration.ofMinutes(1) : INTERVAL);
        return run;
    }

    /** The queued request is dropped without a run (idle again, as an engine might after a failover). */
    public synchronized void cancel(MailboxId mailbox) {
        Entry e = entry(mailbox);
        if (e.state == SyncState.QUEUED) {
            e.state = SyncState.IDLE;
            e.trigger = SyncTrigger.SCHEDULED;
            e.nextRunAt = Instant.now().plus(INTERVAL);
        }
    }

    /** Sets the per-folder counts the status shows. */
    public synchronized void folders(MailboxId mailbox, List<FolderStatus> folders) {
        entry(mailbox).folders = List.copyOf(folders);
    }

    /** Puts a message in quarantine. */
    public synchronized void quarantine(QuarantinedMessage message) {
        entry(message.mailbox()).quarantine.add(message);
    }

    /** The next call of any method of the contract throws this. */
    public void failNextWith(RuntimeException failure) {
        nextFailure.set(failure);
    }

    /** How many times "sync now" was accepted for the mailbox. */
    public synchronized int syncRequests(MailboxId mailbox) {
        return entry(mailbox).requests;
    }

    /** The mailbox's state, without access checks. */
    public synchronized SyncState state(MailboxId mailbox) {
        return entry(mailbox).state;
    }

    // ---------------------------------------------------------------- internals

    private Entry entry(MailboxId mailbox) {
        return entries.computeIfAbsent(mailbox, id -> new Entry());
    }

    private static SyncStatus status(Mailbox m, Entry e) {
        SyncState state = m.active() ? e.state : SyncState.INACTIVE;
        return new SyncStatus(m.id(), state, state == SyncState.RUNNING ? e.progress : null,
                m.active() ? e.nextRunAt : null, e.lastStartedAt, e.lastFinishedAt, e.lastError, e.downloaded, e.assigned,
                e.quarantine.size(), e.folders);
    }

    private void maybeFail() {
        RuntimeException failure = nextFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
    }
}
