package io.postroom.shell.internal;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.RemoteFolder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.support.table.ShellTable;

/** How the commands show mailboxes, presets, folders and failures. Never shows a password. */
final class MailboxPrinter {
    private MailboxPrinter() {
    }

    /** {@code Error (<code>): <message>}: what a failing command prints (a server's words may be in it: made printable). */
    static String error(PostroomException e) {
        return "Error (" + e.code().code() + "): " + Values.printable(e.getMessage());
    }

    static void list(List<Mailbox> mailboxes, PrintStream out, boolean format) {
        ShellTable table = new ShellTable().emptyTableText("No mailboxes.");
        table.column("ID");
        table.column("Address");
        table.column("Name");
        table.column("Owner");
        table.column("State");
        table.column("Verified");
        table.column("Default");
        table.column("Sync period");
        table.column("Last sync");
        for (Mailbox m : mailboxes) {
            MailboxStats stats = stats(m);
            table.addRow().addContent(m.id().value(), Values.cell(m.address().value()), Values.cell(m.name()),
                    Values.cell(m.owner().value()), Values.token(m.state()),
                    yesNo(m.verified()), yesNo(m.defaultForSending()), m.settings().syncPeriod().token(),
                    stats.lastSyncFinished() == null ? "never" : stats.lastSyncFinished().toString());
        }
        table.print(out, format);
    }

    static void details(Mailbox m, PrintStream out) {
        ShellTable table = new ShellTable().noHeaders();
        table.column("Field");
        table.column("Value");
        MailboxSettings s = m.settings();
        MailboxStats stats = stats(m);
        row(table, "ID", m.id().value());
        row(table, "Address", m.address().value());
        row(table, "Name", m.name());
        row(table, "Owner", m.owner().value());
        row(table, "State", m.active() ? "active" : "inactive" + (m.inactiveReason() == null ? "" : " (" + m.inactiveReason() + ")"));
        row(table, "Verified", yesNo(m.verified()));
        row(table, "Default for sending", yesNo(m.defaultForSending()));
        row(table, "Failures in a row", m.consecutiveFailures());
        if (m.lastFailure() != null) {
            row(table, "Last failure", m.lastFailure());
        }
        row(table, "Preset", m.connection().preset() == null ? Preset.CUSTOM : m.connection().preset());
        row(table, "User name", m.connection().username());
        row(table, "IMAP", endpoint(m.connection().imap()));
        row(table, "SMTP", endpoint(m.connection().smtp()));
        row(table, "Sender name", s.senderName());
        row(table, "Name template", s.nameTemplate());
        row(table, "Access level", Values.token(s.accessLevel()));
        row(table, "Shared with", users(s.sharedWith()));
        row(table, "Visibility", Values.token(s.visibility()));
        row(table, "Private messages", yesNo(s.privateMessages()));
        row(table, "Allowed senders", s.allowedSenders().isEmpty() ? "everyone with access" : users(s.allowedSenders()));
        row(table, "CRM linking", yesNo(s.crmLinking()));
        row(table, "Keep", Values.token(s.keep()));
        row(table, "Sync period", s.syncPeriod().token());
        row(table, "Folders", String.join(", ", s.folders()));
        row(table, "Messages downloaded", stats.messagesDownloaded());
        row(table, "Messages assigned", stats.messagesAssigned());
        row(table, "Last sync started", instant(stats.lastSyncStarted()));
        row(table, "Last sync finished", instant(stats.lastSyncFinished()));
        if (stats.lastSyncError() != null) {
            row(table, "Last sync error", stats.lastSyncError());
        }
        row(table, "Created", instant(m.createdAt()));
        row(table, "Updated", instant(m.updatedAt()));
        table.print(out, true);
    }

    static void folders(List<RemoteFolder> folders, PrintStream out) {
        ShellTable table = new ShellTable().emptyTableText("No folders.");
        table.column("Folder");
        table.column("Special use");
        table.column("Selectable");
        for (RemoteFolder f : folders) {
            table.addRow().addContent(Values.cell(f.name()),
                    f.specialUse().stream().sorted().map(u -> u.attribute()).collect(Collectors.joining(" ")),
                    yesNo(f.selectable()));
        }
        table.print(out, true);
    }

    static void presets(List<Preset> presets, PrintStream out, boolean format) {
        ShellTable table = new ShellTable().emptyTableText("No presets.");
        table.column("ID");
        table.column("Provider");
        table.column("IMAP");
        table.column("SMTP");
        table.column("Hint").maxSize(60).wrap();
        for (Preset p : presets) {
            table.addRow().addContent(p.id(), p.label(), p.imap() == null ? "(you enter it)" : endpoint(p.imap()),
                    p.smtp() == null ? "(you enter it)" : endpoint(p.smtp()), p.hint() == null ? "" : p.hint());
        }
        table.print(out, format);
    }

    static String failure(ConnectionFailure f) {
        return f.describe() + (f.kind().isTransient() ? " (this may pass by itself; try again later)" : "");
    }

    static String endpoint(Endpoint e) {
        return Values.cell(e.host()) + ":" + e.port() + " (" + Values.token(e.security()) + ")";
    }

    /** One field; text (much of it from the mail server: failures, folder names) is made printable. */
    private static void row(ShellTable table, String field, Object value) {
        table.addRow().addContent(field + ":", value == null ? "" : value instanceof String text ? Values.cell(text) : value);
    }

    private static MailboxStats stats(Mailbox m) {
        return m.stats() == null ? MailboxStats.EMPTY : m.stats();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String instant(Instant instant) {
        return instant == null ? "never" : instant.toString();
    }

    private static String users(Collection<UserId> users) {
        return users.isEmpty() ? "nobody" : users.stream().map(UserId::value).sorted().collect(Collectors.joining(", "));
    }
}
