package io.postroom.shell.internal;

import io.postroom.api.Actor;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-show", description = "Shows a mailbox: state, connection (never the password), settings and sync statistics")
@Service
public class MailboxShowCommand extends MailboxIdCommand {

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxPrinter.details(mailboxes.get(actor, mailboxId()), out);
    }
}
