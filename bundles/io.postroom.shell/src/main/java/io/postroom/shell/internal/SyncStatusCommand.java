package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.SyncService;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "sync-status",
        description = "Shows a mailbox's sync: state and progress, last start and end, last error, messages downloaded and assigned, "
                + "quarantined messages, and the folders (on the server, stored, last synced, backfill pending)")
@Service
public class SyncStatusCommand extends MailboxIdCommand {
    static final int MAX_RUNS = 100;

    @Option(name = "--runs", description = "Also list the last N sync runs (1 to 100), newest first")
    String runs;

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxId mailbox = mailboxId();
        int count = runs == null ? 0 : Values.number("--runs", runs, 1, MAX_RUNS, 0);
        SyncService sync = sync();
        SyncPrinter.status(sync.status(actor, mailbox), out);
        if (count > 0) {
            out.println();
            SyncPrinter.runs(sync.history(actor, mailbox, count), out);
        }
    }
}
