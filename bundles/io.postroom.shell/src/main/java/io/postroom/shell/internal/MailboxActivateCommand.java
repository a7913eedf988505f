package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.Mailbox;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-activate",
        description = "Tests the connection, checks plan limits and address uniqueness, and activates a mailbox again (owner only)")
@Service
public class MailboxActivateCommand extends MailboxIdCommand {

    @Override
    void run(Actor actor, PrintStream out) {
        Mailbox m = mailboxes.activate(actor, mailboxId());
        out.println("Mailbox " + m.id() + " (" + m.address() + ") is active.");
    }
}
