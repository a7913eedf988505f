package io.postroom.shell.internal;

import io.postroom.api.Actor;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-send-code",
        description = "Sends a new verification code to a mailbox's address (the previous code stops working)")
@Service
public class MailboxSendCodeCommand extends MailboxIdCommand {

    @Override
    void run(Actor actor, PrintStream out) {
        Instant expires = mailboxes.sendVerificationCode(actor, mailboxId());
        out.println("A new verification code was sent; it expires at " + expires + ". Confirm it with: postroom:mailbox-verify "
                + id + " <code>");
    }
}
