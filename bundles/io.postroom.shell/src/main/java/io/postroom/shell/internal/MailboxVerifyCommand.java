package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.Mailbox;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-verify", description = "Confirms a mailbox's address with the code that was sent to it")
@Service
public class MailboxVerifyCommand extends MailboxIdCommand {

    @Argument(index = 1, name = "code", required = true, description = "The verification code from the e-mail")
    String code;

    @Override
    void run(Actor actor, PrintStream out) {
        Mailbox m = mailboxes.verify(actor, mailboxId(), code);
        out.println("Mailbox " + m.id() + " (" + m.address() + ") is verified" + (m.active() ? " and may send." : "."));
    }
}
