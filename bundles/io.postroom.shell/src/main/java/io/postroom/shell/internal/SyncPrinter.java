package io.postroom.shell.internal;

import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * How the sync commands show status, progress, runs and the quarantine. Texts from mail servers
 * (errors, folder names) go through {@link Values#printable}.
 */
final class SyncPrinter {
    private SyncPrinter() {
    }

    /** The status as a two-column table, then the folders. */
    static void status(SyncStatus s, PrintStream out) {
        ShellTable table = new ShellTable().noHeaders();
        table.column("Field");
        table.column("Value");
        row(table, "Mailbox", s.mailbox().value());
        row(table, "State", Values.token(s.state()));
        if (s.progress() != null) {
            row(table, "Progress", progress(s.progress()));
            row(table, "Running on", Values.cell(s.progress().node()));
        }
        row(table, "Next run", instant(s.nextRunAt(), "not scheduled"));
        row(table, "Last started", instant(s.lastStartedAt(), "never"));
        row(table, "Last finished", instant(s.lastFinishedAt(), "never"));
        row(table, "Last error", s.lastError() == null ? "none" : Values.cell(s.lastError()));
        row(table, "Messages downloaded", s.messagesDownloaded());
        row(table, "Messages assigned", s.messagesAssigned());
        row(table, "Quarantined", s.quarantined());
        table.print(out, true);
        out.println();
        folders(s.folders(), out);
    }

    static void folders(List<FolderStatus> folders, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No folder synchronised yet.");
        table.column("Folder");
        table.column("On server").alignRight();
        table.column("Stored").alignRight();
        table.column("Last synced");
        table.column("Backfill pending");
        table.column("Error");
        for (FolderStatus f : folders) {
            table.addRow().addContent(Values.cell(f.name()), f.messagesOnServer(), f.messagesStored(),
                    instant(f.lastSyncedAt(), "never"), f.backfillPending() ? "yes" : "no",
                    f.lastError() == null ? "" : Values.cell(f.lastError()));
        }
        table.print(out, true);
    }

    static void runs(List<SyncRun> runs, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No runs yet.");
        table.column("Run").alignRight();
        table.column("Trigger");
        table.column("Started");
        table.column("Took");
        table.column("Outcome");
        table.column("Stored").alignRight();
        table.column("Flags").alignRight();
        table.column("Expunged").alignRight();
        table.column("Quarantined").alignRight();
        table.column("Node");
        table.column("Error");
        for (SyncRun r : runs) {
            table.addRow().addContent(r.id(), Values.token(r.trigger()), instant(r.startedAt(), ""),
                    r.finishedAt() == null ? "running" : duration(r.startedAt(), r.finishedAt()),
                    r.outcome() == null ? "running" : Values.token(r.outcome()), r.messagesStored(), r.flagChanges(), r.expunged(),
                    r.quarantined(), Values.cell(r.node()), r.error() == null ? "" : Values.cell(r.error()));
        }
        table.print(out, true);
    }

    static void quarantine(List<QuarantinedMessage> messages, PrintStream out, boolean format) {
        ShellTable table = new ShellTable().emptyTableText("No quarantined messages.");
        table.column("Mailbox").alignRight();
        table.column("Folder");
        table.column("UIDVALIDITY").alignRight();
        table.column("UID").alignRight();
        table.column("Attempts");
        table.column("Last attempt");
        table.column("Error");
        for (QuarantinedMessage q : messages) {
            table.addRow().addContent(q.mailbox().value(), Values.cell(q.folder()), q.uidValidity(), q.uid(),
                    q.attempts() + (q.givenUp() ? " (given up)" : ""), instant(q.lastAttemptAt(), "never"), Values.cell(q.error()));
        }
        table.print(out, format);
    }

    /** One line about where a sync stands, for watching it. */
    static String progressLine(SyncStatus s) {
        return switch (s.state()) {
            case QUEUED -> "Queued: a node picks it up within seconds...";
            case RUNNING -> s.progress() == null ? "Running..." : "Running on " + Values.cell(s.progress().node()) + ": "
                    + progress(s.progress());
            case WAITING_RETRY -> "Waiting to retry after a failure" + (s.lastError() == null ? "" : ": " + Values.cell(s.lastError()));
            case IDLE -> "Idle.";
            case INACTIVE -> "The mailbox is inactive.";
        };
    }

    /** {@code folder Sent (1 of 3 folders done), 120 of about 450 messages}. */
    static String progress(SyncProgress p) {
        String folder = p.currentFolder() == null ? "" : "folder " + Values.cell(p.currentFolder()) + " ";
        String messages = p.messagesEstimated() > 0
                ? p.messagesDone() + " of about " + p.messagesEstimated() + " messages"
                : p.messagesDone() + " messages";
        return folder + "(" + p.foldersDone() + " of " + p.foldersTotal() + " folders done), " + messages;
    }

    /** {@code 45 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
    static String duration(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        long seconds = Math.max(0, Duration.between(from, to).getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    private static String instant(Instant instant, String none) {
        return instant == null ? none : instant.toString();
    }

    private static void row(ShellTable table, String field, Object value) {
        table.addRow().addContent(field + ":", value == null ? "" : value);
    }
}
