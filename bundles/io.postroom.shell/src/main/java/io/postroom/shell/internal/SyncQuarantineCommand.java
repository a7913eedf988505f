package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncStatus;
import io.postroom.shell.internal.Completers.MailboxIds;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "sync-quarantine",
        description = "Lists messages the sync could not store (mailbox, folder, UIDVALIDITY, UID, attempts, last attempt, error); "
                + "without an id, those of all of the tenant's mailboxes (tenant admins). --retry queues a retry of a mailbox's.")
@Service
public class SyncQuarantineCommand extends PostroomCommand {

    @Argument(index = 0, name = "id", description = "The mailbox id (see postroom:mailbox-list); leave out for the whole tenant")
    @Completion(MailboxIds.class)
    String id;

    @Option(name = "--retry", description = "Retry the mailbox's quarantined messages (given-up ones too) at a sync queued now")
    boolean retry;

    @Option(name = "--no-format", description = "Plain output without table borders")
    boolean noFormat;

    @Override
    void run(Actor actor, PrintStream out) {
        if (retry && id == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "--retry",
                    "Give the mailbox whose quarantined messages to retry: postroom:sync-quarantine <id> --retry");
        }
        MailboxId mailbox = id == null ? null : MailboxId.parse(id);
        SyncService sync = sync();
        List<QuarantinedMessage> messages = mailbox == null ? sync.quarantine(actor) : sync.quarantine(actor, mailbox);
        SyncPrinter.quarantine(messages, out, !noFormat);
        if (retry) {
            SyncStatus status = sync.retryQuarantined(actor, mailbox);
            out.println();
            out.println(messages.size() + " quarantined messages of mailbox " + mailbox + " will be retried at its next sync (state: "
                    + Values.token(status.state()) + ").");
        }
    }
}
