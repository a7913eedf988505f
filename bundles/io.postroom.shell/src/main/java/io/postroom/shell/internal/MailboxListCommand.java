package io.postroom.shell.internal;

import io.postroom.api.Actor;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-list", description = "Lists the mailboxes you own or that are shared with you")
@Service
public class MailboxListCommand extends PostroomCommand {

    @Option(name = "--no-format", description = "Plain output without table borders")
    boolean noFormat;

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxPrinter.list(mailboxes.list(actor), out, !noFormat);
    }
}
