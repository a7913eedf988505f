package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.Mailbox;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-deactivate",
        description = "Stops sync and sending for a mailbox and keeps its history (the owner or a tenant admin)")
@Service
public class MailboxDeactivateCommand extends MailboxIdCommand {

    @Option(name = "--reason", description = "Why; shown with the mailbox")
    String reason;

    @Override
    void run(Actor actor, PrintStream out) {
        Mailbox m = mailboxes.deactivate(actor, mailboxId(), Values.line("--reason", reason));
        out.println("Mailbox " + m.id() + " (" + m.address() + ") is inactive"
                + (m.inactiveReason() == null ? "." : ": " + m.inactiveReason()));
    }
}
