package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.mailbox.ConnectionTest;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

@Command(scope = "postroom", name = "mailbox-test",
        description = "Logs in to the mailbox's IMAP and SMTP servers now and lists its folders; fails when a login fails (failures count towards deactivation)")
@Service
public class MailboxTestCommand extends MailboxIdCommand {

    @Override
    void run(Actor actor, PrintStream out) throws CommandException {
        ConnectionTest test = mailboxes.test(actor, mailboxId());
        if (!test.ok()) {
            int failures = test.mailbox() == null ? 0 : test.mailbox().consecutiveFailures();
            ErrorCode code = test.failure() != null && test.failure().kind() == ConnectionFailure.Kind.NOT_ALLOWED
                    ? ErrorCode.OUTBOUND_NOT_ALLOWED : ErrorCode.CONNECTION_FAILED;
            String why = test.failure() == null ? "The connection test failed." : MailboxPrinter.failure(test.failure());
            throw failure("Error (" + code.code() + "): " + why
                    + " Failures in a row: " + failures + ".", null);
        }
        out.println("Connection OK: logged in to IMAP and SMTP at " + test.testedAt() + ".");
        MailboxPrinter.folders(test.folders(), out);
    }
}
