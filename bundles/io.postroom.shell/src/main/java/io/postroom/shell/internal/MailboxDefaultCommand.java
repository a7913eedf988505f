package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.shell.internal.Completers.MailboxIds;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-default",
        description = "Makes a mailbox your default for sending; without an id, shows your current default")
@Service
public class MailboxDefaultCommand extends PostroomCommand {

    @Argument(index = 0, name = "id", description = "The mailbox id (see postroom:mailbox-list)")
    @Completion(MailboxIds.class)
    String id;

    @Override
    void run(Actor actor, PrintStream out) {
        if (id == null) {
            mailboxes.defaultForSending(actor).ifPresentOrElse(
                    m -> out.println("Your default mailbox for sending is " + m.id() + " (" + m.address() + ")."),
                    () -> out.println("You have no default mailbox for sending; choose one with postroom:mailbox-default <id>."));
            return;
        }
        var m = mailboxes.setDefaultForSending(actor, MailboxId.parse(id));
        out.println("Mailbox " + m.id() + " (" + m.address() + ") is now your default for sending.");
    }
}
