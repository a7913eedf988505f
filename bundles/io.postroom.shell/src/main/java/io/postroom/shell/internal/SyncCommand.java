package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncState;
import io.postroom.api.sync.SyncStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Command(scope = "postroom", name = "sync",
        description = "Downloads new messages of a mailbox now: queues a sync and shows its progress (folders, messages done of the estimate) "
                + "until it ends. Ctrl-C stops watching, not the sync.")
@Service
public class SyncCommand extends MailboxIdCommand {

    /** What the command does between two looks at the status. */
    @FunctionalInterface
    interface Pause {
        Pause ONE_SECOND = () -> Thread.sleep(1000);

        void pause() throws InterruptedException;
    }

    @Option(name = "--no-wait", description = "Only queue the sync; do not wait for it to end")
    boolean noWait;

    /** One second; tests replace it. */
    Pause pause = Pause.ONE_SECOND;

    /** Looks at an idle status that shows no new run before giving up waiting for the run to start. */
    static final int PATIENCE = 30;

    /** How watching ended: the last status, and whether it shows a run that started or ended meanwhile. */
    private record Watched(SyncStatus status, boolean ran) {
    }

    @Override
    void run(Actor actor, PrintStream out) throws CommandException {
        SyncService sync = sync();
        MailboxId mailbox = mailboxId();
        SyncStatus status;
        try {
            status = sync.syncNow(actor, mailbox);
            out.println("Sync of mailbox " + mailbox + " queued.");
        } catch (PostroomException e) {
            if (e.code() != ErrorCode.SYNC_ALREADY_RUNNING || noWait) {
                throw e;
            }
            status = sync.status(actor, mailbox);
            out.println("A sync of mailbox " + mailbox + " is already running; following it.");
        }
        if (noWait) {
            out.println("Follow it with: postroom:sync-status " + mailbox);
            return;
        }
        Watched end = watch(sync, actor, mailbox, status, out);
        if (end == null) {
            out.println("Stopped watching; the sync goes on in the background (postroom:sync-status " + mailbox + ").");
            return;
        }
        if (!end.ran() && end.status().state() != SyncState.INACTIVE) {
            out.println("Mailbox " + mailbox + " is no longer queued, but no new run was recorded (state: "
                    + Values.token(end.status().state()) + "); see postroom:sync-status " + mailbox + ".");
            return;
        }
        outcome(sync, actor, mailbox, end.status(), out);
    }

    /**
     * Polls the status until the run has ended (no longer queued or running, with a newer start or
     * end than before), printing a line whenever the progress changes. It also stops when the
     * mailbox became inactive, or is idle again without a new run after having been queued (or
     * after {@value #PATIENCE} looks), so that a script never waits for ever.
     *
     * @return how it ended, or null when the user pressed Ctrl-C
     */
    private Watched watch(SyncService sync, Actor actor, MailboxId mailbox, SyncStatus first, PrintStream out) {
        Instant startedBefore = first.state() == SyncState.RUNNING ? null : first.lastStartedAt();
        Instant finishedBefore = first.lastFinishedAt();
        String shown = null;
        SyncStatus s = first;
        boolean seenBusy = false;
        for (int looks = 0; ; looks++) {
            boolean busy = s.state() == SyncState.QUEUED || s.state() == SyncState.RUNNING;
            boolean ran = !Objects.equals(s.lastFinishedAt(), finishedBefore) || !Objects.equals(s.lastStartedAt(), startedBefore);
            if (s.state() == SyncState.INACTIVE || (!busy && (ran || seenBusy || looks >= PATIENCE))) {
                return new Watched(s, ran);
            }
            seenBusy |= busy;
            String line = SyncPrinter.progressLine(s);
            if (!line.equals(shown)) {
                out.println(line);
                shown = line;
            }
            if (Thread.interrupted()) {
                return null;
            }
            try {
                pause.pause();
            } catch (InterruptedException e) {
                return null; // Ctrl-C: Karaf interrupts the command's thread
            }
            if (Thread.interrupted()) {
                return null;
            }
            s = sync.status(actor, mailbox);
        }
    }

    private static void outcome(SyncService sync, Actor actor, MailboxId mailbox, SyncStatus end, PrintStream out)
            throws CommandException {
        if (end.state() == SyncState.INACTIVE) {
            throw failure("Error (" + ErrorCode.MAILBOX_INACTIVE.code() + "): Mailbox " + mailbox
                    + " became inactive before its sync ended" + (end.lastError() == null ? "." : ": " + Values.cell(end.lastError())),
                    null);
        }
        List<SyncRun> runs = sync.history(actor, mailbox, 1);
        SyncRun run = runs.isEmpty() ? null : runs.get(0);
        if (run == null || run.outcome() == null) {
            if (end.lastError() != null) {
                throw failure("Sync failed: " + Values.cell(end.lastError()) + next(end), null);
            }
            out.println("Sync finished.");
            return;
        }
        String counts = run.messagesStored() + " new messages stored, " + run.flagChanges() + " flag changes, " + run.expunged()
                + " removed on the server";
        String took = " (took " + SyncPrinter.duration(run.startedAt(), run.finishedAt()) + ")";
        String quarantined = run.quarantined() == 0 ? ""
                : "; " + run.quarantined() + " messages quarantined (postroom:sync-quarantine " + mailbox + ")";
        String error = run.error() == null ? "" : " " + Values.cell(run.error());
        if (run.outcome() == SyncOutcome.SUCCEEDED) {
            out.println("Sync finished: " + counts + took + ".");
        } else if (run.outcome() == SyncOutcome.PARTIAL) {
            out.println("Sync finished with problems: " + counts + quarantined + took + "." + error);
        } else if (run.outcome() == SyncOutcome.INTERRUPTED) {
            out.println("Sync interrupted after " + counts + took + "; the next run resumes where it stopped." + error);
        } else {
            throw failure("Sync failed: " + (run.error() == null ? "no reason was given." : Values.cell(run.error())) + next(end), null);
        }
    }

    private static String next(SyncStatus s) {
        return s.nextRunAt() == null ? "" : " Next attempt at " + s.nextRunAt() + ".";
    }
}
