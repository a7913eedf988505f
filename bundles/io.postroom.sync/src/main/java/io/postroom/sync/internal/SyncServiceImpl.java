package io.postroom.sync.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncState;
import io.postroom.api.sync.SyncStatus;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.ScheduleRecord;
import io.postroom.persistence.StoreException;
import io.postroom.sync.SyncEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link SyncService} over the stores and this node's engine; access per {@link SyncAccess}. */
final class SyncServiceImpl implements SyncService {
    static final int MAX_HISTORY = 100;

    private final SyncAccess access;
    private final SyncParts parts;
    private final SyncEngine engine;
    private final Clock clock;

    SyncServiceImpl(SyncAccess access, SyncParts parts, SyncEngine engine) {
        this.access = access;
        this.parts = parts;
        this.engine = engine;
        this.clock = parts.clock();
    }

    static PostroomException unavailable(StoreException e) {
        return new PostroomException(ErrorCode.UNAVAILABLE, "The database is not available; try again later.", Map.of(), e);
    }

    private static <T> T db(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public SyncStatus syncNow(Actor actor, MailboxId mailbox) {
        MailboxRecord m = access.visible(actor, mailbox);
        if (!m.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE, "The mailbox " + m.address() + " is inactive ("
                    + m.inactiveReason() + "); activate it first.", Map.of("mailbox", m.id()));
        }
        Optional<ScheduleRecord> s = db(() -> parts.schedule().find(m.id()));
        if (s.isPresent() && s.get().leaseHeld() && s.get().leaseKind() == io.postroom.persistence.ClaimKind.REGULAR) {
            throw new PostroomException(ErrorCode.SYNC_ALREADY_RUNNING, "Mailbox " + m.address() + " is being synchronised"
                    + " now; its progress shows in the sync status.", Map.of("mailbox", m.id()));
        }
        db(() -> {
            parts.schedule().requestRun(m.id(), m.tenant(), SyncTrigger.MANUAL);
            return null;
        });
        engine.wake();
        return status(m);
    }

    @Override
    public SyncStatus status(Actor actor, MailboxId mailbox) {
        return status(access.visible(actor, mailbox));
    }

    private SyncStatus status(MailboxRecord m) {
        MailboxId id = MailboxId.of(m.id());
        Optional<ScheduleRecord> schedule = db(() -> parts.schedule().find(m.id()));
        long downloaded = db(() -> parts.messages().count(m.id()));
        long quarantined = db(() -> parts.quarantine().count(m.id()));
        List<FolderRecord> folders = db(() -> parts.folders().list(m.id()));
        Instant periodStart = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minus(m.settings().syncPeriod().period())
                .atStartOfDay(ZoneOffset.UTC).toInstant();
        List<FolderStatus> folderStatus = new ArrayList<>();
        for (FolderRecord f : folders) {
            boolean backfill = FolderSync.backfillPending(f.checkpoint(), periodStart);
            folderStatus.add(new FolderStatus(f.name(), f.messagesOnServer(), f.messagesStored(), f.lastSyncedAt(), backfill,
                    f.lastError()));
        }
        if (!m.active()) {
            ScheduleRecord s = schedule.orElse(null);
            return new SyncStatus(id, SyncState.INACTIVE, null, null, s == null ? null : s.lastStartedAt(),
                    s == null ? null : s.lastFinishedAt(), m.inactiveReason(), downloaded, 0, (int) quarantined, folderStatus);
        }
        if (schedule.isEmpty()) {
            return new SyncStatus(id, SyncState.QUEUED, null, null, null, null, null, downloaded, 0, (int) quarantined,
                    folderStatus);
        }
        ScheduleRecord s = schedule.get();
        SyncState state;
        SyncProgress progress = null;
        if (s.leaseHeld()) {
            state = SyncState.RUNNING;
            progress = engine.progress(id).orElse(s.progress());
        } else if (s.due()) {
            state = SyncState.QUEUED;
        } else if (s.failures() > 0) {
            state = SyncState.WAITING_RETRY;
        } else {
            state = SyncState.IDLE;
        }
        return new SyncStatus(id, state, progress, s.nextDue(), s.lastStartedAt(), s.lastFinishedAt(), s.lastError(),
                downloaded, 0, (int) quarantined, folderStatus);
    }

    @Override
    public List<SyncRun> history(Actor actor, MailboxId mailbox, int limit) {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "limit",
                    "Ask for 1 to " + MAX_HISTORY + " runs, not " + limit + ".");
        }
        MailboxRecord m = access.visible(actor, mailbox);
        return db(() -> parts.runs().history(m.id(), limit));
    }

    @Override
    public List<QuarantinedMessage> quarantine(Actor actor, MailboxId mailbox) {
        MailboxRecord m = access.visible(actor, mailbox);
        return db(() -> parts.quarantine().list(m.id()));
    }

    @Override
    public List<QuarantinedMessage> quarantine(Actor actor) {
        access.requireAdmin(actor, "sees the quarantine of all the organisation's mailboxes");
        return db(() -> parts.quarantine().listByTenant(actor.tenant()));
    }

    @Override
    public SyncStatus retryQuarantined(Actor actor, MailboxId mailbox) {
        MailboxRecord m = access.visible(actor, mailbox);
        db(() -> parts.quarantine().retryAll(m.id()));
        return status(m);
    }
}
