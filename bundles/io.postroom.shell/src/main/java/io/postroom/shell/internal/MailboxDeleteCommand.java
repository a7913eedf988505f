package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-delete", description = "Removes a mailbox and its settings (the owner or a tenant admin)")
@Service
public class MailboxDeleteCommand extends MailboxIdCommand {

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxId mailbox = mailboxId();
        mailboxes.delete(actor, mailbox);
        out.println("Mailbox " + mailbox + " deleted.");
    }
}
