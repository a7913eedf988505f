package io.postroom.sync.internal;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.mailbox.FailureRecord;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.persistence.Claim;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.FolderCheckpoint;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.LeaseLostException;
import io.postroom.persistence.LocationRecord;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.RunEnd;
import io.postroom.persistence.StoreException;
import io.postroom.persistence.TransientStoreException;
import io.postroom.protocol.FailureClassifier;
import io.postroom.protocol.ImapConnection;
import io.postroom.sync.RunReport;
import io.postroom.sync.internal.Imap.FolderInfo;
import io.postroom.sync.internal.Imap.ImapException;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one mailbox under its lease: connect, list and STATUS the folders, synchronise each,
 * report the connection's health to the mailbox bundle, record the run, release the lease with
 * the next due time (interval, or back-off after a transient failure), post the run's event.
 */
final class MailboxRun {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxRun.class);
    /** Locations of a gone folder read and removed at a time (each page one transaction). */
    private static final int GONE_PAGE = 5000;
    /** Folder names servers without SPECIAL-USE give their Sent folder. */
    private static final Set<String> SENT_NAMES = Set.of("sent", "sent items", "sent messages", "sent mail",
            "[gmail]/sent mail", "inbox.sent", "inbox/sent", "gesendet", "gesendete objekte", "gesendete elemente",
            "envoyés", "éléments envoyés", "enviados", "elementos enviados", "inviati", "posta inviata", "verzonden",
            "wysłane", "отправленные", "надіслані", "відправлені");

    private final SyncParts parts;
    private final ExecutorService parsePool;
    private final Consumer<RunContext> started;
    private final Consumer<RunContext> ended;
    private final java.util.function.BooleanSupplier halted;

    MailboxRun(SyncParts parts, ExecutorService parsePool, Consumer<RunContext> started, Consumer<RunContext> ended,
               java.util.function.BooleanSupplier halted) {
        this.parts = parts;
        this.parsePool = parsePool;
        this.started = started;
        this.ended = ended;
        this.halted = halted;
    }

    private record Outcome(boolean partial, String folderErrors, boolean backfillPending) {
    }

    RunReport run(Claim claim) {
        long mailboxId = claim.lease().mailboxId();
        long runId;
        try {
            runId = parts.runs().start(claim.lease(), claim.trigger());
        } catch (LeaseLostException e) {
            return new RunReport(0, claim.trigger(), SyncOutcome.INTERRUPTED, 0, 0, 0, 0, 0, e.getMessage(), null, 0);
        } catch (StoreException e) {
            LOG.warn("Mailbox {}: cannot record the start of a sync ({}); the lease expires by itself", mailboxId,
                    e.getMessage());
            return new RunReport(0, claim.trigger(), SyncOutcome.FAILED, 0, 0, 0, 0, 0, databaseError(e), null, 0);
        }
        RunContext ctx = new RunContext(claim, runId, parts, parsePool,
                new RunProgress(parts.clock().instant(), claim.lease().owner()));
        started.accept(ctx);
        try {
            return run(claim, ctx, runId);
        } finally {
            // whatever happened (an Error included), the run is over on this node: no more heartbeats for it
            ended.accept(ctx);
        }
    }

    /**
     * The run after its start was recorded. Any Throwable ends it: recorded as failed, the lease
     * released with a back-off. An {@link Error} other than a stack overflow (which one message's
     * parsing can cause) is thrown again once the run is recorded: the JVM or the bundle's class
     * space is in trouble, and the caller (or the worker pool) must see it.
     */
    private RunReport run(Claim claim, RunContext ctx, long runId) {
        long mailboxId = claim.lease().mailboxId();
        Error fatal = null;
        SyncOutcome outcome;
        String error = null;
        ConnectionFailure failure = null;
        boolean backfillPending = claim.kind() == ClaimKind.BACKFILL;
        boolean release = true;
        int failures = claim.failures();
        Duration next = claim.kind() == ClaimKind.BACKFILL ? null : claim.interval();
        try {
            MailboxConnection conn = parts.mailboxes().connection(MailboxId.of(mailboxId));
            ctx.connection = conn;
            ctx.tenant = conn.tenant();
            Outcome o = sync(ctx, conn);
            backfillPending = o.backfillPending();
            try {
                parts.mailboxes().recordSuccess(conn.id());
            } catch (RuntimeException e) {
                LOG.debug("Mailbox {}: recording the successful connection failed: {}", mailboxId, e.toString());
            }
            failures = 0;
            boolean partial = o.partial() || ctx.quarantined.get() > 0;
            outcome = partial ? SyncOutcome.PARTIAL : SyncOutcome.SUCCEEDED;
            if (o.partial()) {
                error = o.folderErrors();
            } else if (ctx.quarantined.get() > 0) {
                error = ctx.quarantined.get() + " messages could not be stored and are in quarantine; they are retried"
                        + " at the next runs, and an operator can list them.";
            }
        } catch (ConnectionFailedException e) {
            failure = e.failure();
            outcome = SyncOutcome.FAILED;
        } catch (ImapException | MessagingException e) {
            failure = classify(ctx, e);
            outcome = SyncOutcome.FAILED;
        } catch (LeaseLostException e) {
            LOG.info("Mailbox {}: {}", mailboxId, e.getMessage());
            outcome = SyncOutcome.INTERRUPTED;
            error = "The node lost its lease; another node continues the sync.";
            release = false;
        } catch (RunStopped e) {
            outcome = SyncOutcome.INTERRUPTED;
            error = "The sync stopped before the end (" + e.getMessage() + "); the next run continues where it stopped.";
            next = Duration.ZERO;
        } catch (PostroomException e) {
            outcome = SyncOutcome.FAILED;
            error = e.getMessage();
            if (e.code() == ErrorCode.CONNECTION_FAILED && e instanceof ConnectionFailedException c) {
                failure = c.failure();
            }
        } catch (TransientStoreException e) {
            outcome = SyncOutcome.FAILED;
            error = databaseError(e);
            failures++;
            next = backoff(claim, failures);
        } catch (StoreException e) {
            outcome = SyncOutcome.FAILED;
            error = databaseError(e);
            failures++;
            next = backoff(claim, failures);
        } catch (RuntimeException | StackOverflowError e) {
            if (ctx.stopping()) {
                // whatever broke while the node stopped or the lease went: an interruption, not a failure
                outcome = SyncOutcome.INTERRUPTED;
                release = !leaseLost(ctx);
                error = "The sync stopped before the end; the next run continues where it stopped.";
                next = Duration.ZERO;
            } else {
                LOG.error("Mailbox {}: the sync failed", mailboxId, e);
                outcome = SyncOutcome.FAILED;
                error = "The sync failed unexpectedly (" + e + "); it is retried later.";
                failures++;
                next = backoff(claim, failures);
            }
        } catch (Error e) {
            // OutOfMemoryError, LinkageError (a bundle refreshed under the run), ...: the run ends here too,
            // or the mailbox's lease would be extended by the heartbeat for ever
            LOG.error("Mailbox {}: the sync failed with a fatal error", mailboxId, e);
            fatal = e;
            outcome = SyncOutcome.FAILED;
            error = "The sync failed with a fatal error (" + e + "); it is retried later. If it persists, tell the"
                    + " administrator (the node may be short of memory or need a restart).";
            failures++;
            next = backoff(claim, failures);
            release = !leaseLost(ctx);
        } finally {
            ImapConnection c = ctx.imap;
            if (c != null) {
                c.close();
            }
        }
        if (halted.getAsBoolean()) {
            // the node "died": nothing more is written; the lease expires by itself
            return report(ctx, SyncOutcome.INTERRUPTED, "halted", null);
        }
        if (failure != null) {
            if (ctx.stopping()) {
                // the connection was closed on purpose (node stopping, lease lost)
                failure = null;
                outcome = SyncOutcome.INTERRUPTED;
                release = !leaseLost(ctx);
                error = release ? "The sync stopped before the end; the next run continues where it stopped."
                        : "The node lost its lease; another node continues the sync.";
                next = Duration.ZERO;
            } else if (!stillHolds(claim)) {
                // paused past the lease (a long collection, a stalled VM) and another node has the mailbox now:
                // what failed here is this node's connection, not a failure of the mailbox to count
                LOG.info("Mailbox {}: {} after the lease went to another node; not counted", mailboxId, failure.describe());
                failure = null;
                outcome = SyncOutcome.INTERRUPTED;
                release = false;
                error = "The node lost its lease; another node continues the sync.";
            } else {
                failures++;
                error = failure.describe() + " " + hint(failure.kind());
                next = failure.kind().isTransient() ? backoff(claim, failures) : claim.interval();
                record(ctx, failure);
            }
        }
        try {
            parts.runs().finish(runId, outcome, error, parts.settings().keepRuns());
        } catch (RuntimeException e) {
            LOG.warn("Mailbox {}: cannot record the end of run {}: {}", mailboxId, runId, e.toString());
        }
        if (release) {
            try {
                parts.schedule().release(claim.lease(), new RunEnd(outcome, error, next, failures, backfillPending));
            } catch (RuntimeException e) {
                LOG.warn("Mailbox {}: cannot release the lease ({}); it expires by itself", mailboxId, e.toString());
            }
        }
        try {
            new SyncEventPoster(parts.eventAdmin()).finished(ctx.tenant, mailboxId, runId, outcome, ctx.stored.get(), error,
                    failure);
        } catch (RuntimeException e) {
            LOG.warn("Mailbox {}: cannot post the end of run {}: {}", mailboxId, runId, e.toString());
        }
        if (fatal != null) {
            throw fatal;
        }
        if (outcome == SyncOutcome.FAILED) {
            LOG.info("Mailbox {}: sync failed: {}", mailboxId, error);
        } else {
            LOG.debug("Mailbox {}: sync {}: {} stored, {} flag changes, {} expunged, {} quarantined, {} IMAP commands;"
                    + " fetch {} ms, waiting for the writer {} ms, parse {} ms (all threads), write {} ms", mailboxId, outcome,
                    ctx.stored.get(), ctx.flagChanges.get(), ctx.expunged.get(), ctx.quarantined.get(), ctx.imapCommands.get(),
                    ctx.fetchNanos.get() / 1_000_000, ctx.waitNanos.get() / 1_000_000, ctx.parseNanos.get() / 1_000_000,
                    ctx.writeNanos.get() / 1_000_000);
        }
        return report(ctx, outcome, error, failure);
    }

    /** Whether this node still holds the lease, asked of the database (fenced); true when it cannot be asked. */
    private boolean stillHolds(Claim claim) {
        try {
            return parts.schedule().heartbeat(claim.lease());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static boolean leaseLost(RunContext ctx) {
        try {
            ctx.checkAlive();
            return false;
        } catch (LeaseLostException e) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private RunReport report(RunContext ctx, SyncOutcome outcome, String error, ConnectionFailure failure) {
        return new RunReport(ctx.runId, ctx.claim.trigger(), outcome, ctx.stored.get(), ctx.locations.get(),
                ctx.flagChanges.get(), ctx.expunged.get(), ctx.quarantined.get(), error, failure, ctx.imapCommands.get());
    }

    private void record(RunContext ctx, ConnectionFailure failure) {
        try {
            FailureRecord r = parts.mailboxes().recordFailure(MailboxId.of(ctx.mailboxId()), failure);
            if (r.deactivated()) {
                LOG.warn("Mailbox {} was deactivated after {} consecutive failures: {}", ctx.mailboxId(),
                        r.consecutiveFailures(), failure.describe());
            }
        } catch (RuntimeException e) {
            LOG.warn("Mailbox {}: cannot record the connection failure: {}", ctx.mailboxId(), e.toString());
        }
    }

    /** Exponential back-off from the configured base, at most the plan's interval. */
    private Duration backoff(Claim claim, int failures) {
        long base = parts.settings().backoffBase().toMillis();
        long millis = base << Math.min(20, Math.max(0, failures - 1));
        return Duration.ofMillis(Math.min(millis, Math.max(base, claim.interval().toMillis())));
    }

    private static String databaseError(StoreException e) {
        return "The database was not available (" + e.getMessage() + "); the sync is retried later and resumes where it stopped.";
    }

    static String hint(Kind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "Check the user name and password in the mailbox's connection settings (the password"
                    + " may have changed or need an app password).";
            case UNTRUSTED_CERTIFICATE, TLS_HANDSHAKE -> "Check the server name and security setting, or ask the"
                    + " administrator about the server's certificate.";
            case NOT_ALLOWED -> "Ask the administrator to allow this server in the outbound policy.";
            case UNKNOWN_HOST -> "Check the server name in the mailbox's connection settings.";
            case TIMEOUT, NETWORK, CONNECTION_REFUSED, THROTTLED -> "It is retried automatically.";
            case PROTOCOL -> "If it persists, check the server settings or contact the mail provider.";
        };
    }

    private ConnectionFailure classify(RunContext ctx, Exception e) {
        MailboxConnection conn = ctx.connection;
        String host = conn == null ? "" : conn.imap().host();
        int port = conn == null ? 0 : conn.imap().port();
        return FailureClassifier.classify(Protocol.IMAP, ctx.step, host, port, e);
    }

    // ------------------------------------------------------------------ the mailbox

    private Outcome sync(RunContext ctx, MailboxConnection conn) throws ImapException, MessagingException {
        ctx.step = Step.CONNECT;
        ctx.checkAlive();
        ImapConnection ic = parts.connector().openImap(conn.imap(), conn.credentials());
        ctx.imap = ic;
        ctx.checkAlive();
        boolean listStatus = ic.hasCapability("LIST-STATUS");
        boolean specialUse = ic.hasCapability("SPECIAL-USE");
        ctx.step = Step.LIST_FOLDERS;
        List<RemoteFolder> remote = listStatus ? List.of() : ic.listFolders();
        List<String> wanted = conn.settings().folders().isEmpty() ? List.of("INBOX") : conn.settings().folders();
        ctx.progress.folders(wanted.size());
        IMAPFolder root = (IMAPFolder) ((IMAPStore) ic.store()).getDefaultFolder();
        Object[] result = new Object[1];
        root.doCommand(p -> {
            try {
                // commands sized to what one response and one answer may hold on this connection
                Imap imap = new Imap(p, parts.settings().qresync(), ctx.imapCommands, ic.responseLimitBytes(),
                        ic.answerLimitBytes());
                result[0] = folders(ctx, conn, imap, wanted, listStatus, specialUse, remote);
            } catch (ImapException | RuntimeException | Error e) {
                result[0] = e;
            }
            return null;
        });
        if (result[0] instanceof ImapException e) {
            throw e;
        }
        if (result[0] instanceof RuntimeException e) {
            throw e;
        }
        if (result[0] instanceof Error e) {
            throw e;
        }
        return (Outcome) result[0];
    }

    private Outcome folders(RunContext ctx, MailboxConnection conn, Imap imap, List<String> wanted, boolean listStatus,
                            boolean specialUse, List<RemoteFolder> remote) throws ImapException {
        Map<String, FolderInfo> infos = listStatus ? imap.listStatus() : Map.of();
        // text batches within batchKilobytes and well inside what one answer may hold on this connection
        TextBudget budget = new TextBudget(ctx.mailboxId(), parts.settings().batchBytes(), ctx.imap.responseLimitBytes(),
                ctx.imap.answerLimitBytes());
        Fetcher fetcher = new Fetcher(imap, parts.parser(), budget, parts.settings().maxHeaderBytes());
        DraftBuilder drafts = new DraftBuilder(conn.address(), conn.settings().keep());
        if (ctx.claim.kind() != ClaimKind.BACKFILL && conn.settings().keep() != null
                && parts.folders().applyKeep(ctx.lease, conn.settings().keep())) {
            // the owner widened the keep setting: the folders start over (within the sync period) for what was left out
            LOG.info("Mailbox {}: the keep setting is now {}; going through the sync period again for what it kept out",
                    ctx.mailboxId(), conn.settings().keep());
        }
        boolean partial = false;
        boolean backfill = false;
        List<String> errors = new ArrayList<>();
        try (BatchWriter writer = new BatchWriter(ctx)) {
            for (String wantedName : wanted) {
                ctx.checkAlive();
                ctx.step = Step.OPEN_FOLDER;
                FolderInfo info = find(infos, wantedName);
                RemoteFolder listed = remote.stream().filter(r -> sameName(r.name(), wantedName)).findFirst().orElse(null);
                String name = info != null ? info.name() : listed != null ? listed.name() : wantedName;
                ctx.progress.folderStarted(name);
                // the folder is not in the (successful) LIST answer
                boolean unlisted = listStatus ? info == null : listed == null;
                if (info == null || info.messages() < 0 || info.uidValidity() <= 0) {
                    FolderInfo fromList = info;
                    try {
                        info = imap.status(name);
                    } catch (ImapException e) {
                        if (e.connectionLost()) {
                            throw e;
                        }
                        String error = "The folder " + name + " is not on the server any more (" + e.getMessage()
                                + "); choose the folders to synchronise again in the mailbox settings.";
                        if (unlisted) {
                            long gone = folderGone(ctx, writer, name);
                            if (gone > 0) {
                                error += " Its " + gone + " messages stay in the CRM, marked as deleted on the server"
                                        + " unless they are in another synchronised folder.";
                            }
                        }
                        // a folder still listed keeps the special use LIST gave it; a gone one has none
                        folderError(ctx, name, specialUse(fromList, listed), error);
                        errors.add(error);
                        partial = true;
                        ctx.progress.folderDone();
                        continue;
                    }
                }
                String use = specialUse(info, listed);
                boolean sent = SpecialUse.SENT.name().equals(use)
                        || (!specialUse && SENT_NAMES.contains(name.toLowerCase(Locale.ROOT)));
                FolderRecord rec = parts.folders().open(ctx.mailboxId(), name, use);
                ctx.step = Step.FETCH;
                try {
                    FolderSync.Result r = new FolderSync(ctx, imap, fetcher, writer, drafts, name, sent,
                            conn.settings().syncPeriod()).sync(rec, info);
                    backfill |= r.backfillPending();
                } catch (ImapException e) {
                    if (e.connectionLost()) {
                        throw e;
                    }
                    String error = "The folder " + name + " could not be synchronised: " + e.getMessage();
                    folderError(ctx, name, use, error);
                    errors.add(error);
                    partial = true;
                }
                ctx.progress.folderDone();
                ctx.saveProgress();
            }
        }
        return new Outcome(partial, errors.isEmpty() ? null : String.join(" ", errors), backfill);
    }

    /**
     * A chosen folder that neither LIST nor STATUS knows any more (deleted or renamed on the
     * server): its messages are not on the server there any more, as if expunged: their locations
     * go and a message left without any is marked deleted on the server (its record and text
     * stay). Its UIDs are void (UIDVALIDITY 0 is no server's: RFC 3501 makes it a non-zero number),
     * and with the void checkpoint its quarantine entries go, under every UIDVALIDITY; a folder of
     * that name that appears again (renamed back, created anew) has every message matched again by
     * Message-ID, as after a UIDVALIDITY change.
     *
     * @return the locations removed
     */
    private long folderGone(RunContext ctx, BatchWriter writer, String name) {
        FolderRecord rec = parts.folders().open(ctx.mailboxId(), name, null);
        long uidValidity = rec.uidValidity() == null ? 0 : rec.uidValidity();
        List<LocationRecord> page = parts.folders().locations(rec.id(), 0, Long.MAX_VALUE, GONE_PAGE);
        if (uidValidity == 0 && page.isEmpty()) {
            return 0; // never synchronised, or already done (locations left by a stopped run still go below)
        }
        LOG.info("Mailbox {}: the folder {} is gone from the server; its messages are not in it any more",
                ctx.mailboxId(), name);
        FolderCheckpoint voided = new FolderCheckpoint(0L, null, null, null, null, 0, null, rec.lastSyncedAt());
        long removed = 0;
        // the folder is void from the first page on: should the run stop between pages, the rest of its
        // locations go at the next run (the folder still gone) or are matched again by Message-ID (back again)
        boolean first = true;
        while (first || !page.isEmpty()) {
            ctx.checkAlive();
            removed += writer.writeNow(new MessageBatch(ctx.lease, ctx.runId, rec.id(), uidValidity, List.of(), List.of(),
                    page.stream().map(LocationRecord::uid).toList(), List.of(), List.of(), first ? voided : null),
                    name).expunged();
            first = false;
            page = page.size() < GONE_PAGE ? List.of()
                    : parts.folders().locations(rec.id(), page.get(page.size() - 1).uid(), Long.MAX_VALUE, GONE_PAGE);
        }
        LOG.info("Mailbox {}: {} locations of the gone folder {} removed", ctx.mailboxId(), removed, name);
        return removed;
    }

    /**
     * The folder's SPECIAL-USE (its {@link SpecialUse} name), from LIST-STATUS's attributes or else
     * from LIST's; null when it has none, or when neither listed it.
     */
    private static String specialUse(FolderInfo info, RemoteFolder listed) {
        List<String> attributes = (info == null || info.attributes().isEmpty()) && listed != null
                ? listed.specialUse().stream().map(SpecialUse::attribute).toList()
                : info == null ? List.of() : info.attributes();
        SpecialUse use = null;
        for (String a : attributes) {
            use = SpecialUse.fromAttribute(a).orElse(use);
        }
        return use == null ? null : use.name();
    }

    /** Records the folder's error; its special use stays as the server lists it (not cleared by the error). */
    private void folderError(RunContext ctx, String name, String specialUse, String error) {
        LOG.info("Mailbox {}: {}", ctx.mailboxId(), error);
        try {
            FolderRecord f = parts.folders().open(ctx.mailboxId(), name, specialUse);
            parts.folders().recordError(f.id(), error);
        } catch (RuntimeException e) {
            LOG.debug("Cannot record the folder error: {}", e.toString());
        }
    }

    private static FolderInfo find(Map<String, FolderInfo> infos, String wanted) {
        FolderInfo exact = infos.get(wanted);
        if (exact != null) {
            return exact;
        }
        for (FolderInfo i : infos.values()) {
            if (sameName(i.name(), wanted)) {
                return i;
            }
        }
        return null;
    }

    private static boolean sameName(String server, String wanted) {
        return server.equals(wanted) || ("INBOX".equalsIgnoreCase(server) && "INBOX".equalsIgnoreCase(wanted));
    }
}
