package io.postroom.shell.internal;

import io.postroom.api.Actor;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "presets", description = "Lists the providers Postroom knows (use their id with mailbox-add --preset)")
@Service
public class PresetsCommand extends PostroomCommand {

    @Option(name = "--no-format", description = "Plain output without table borders")
    boolean noFormat;

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxPrinter.presets(mailboxes.presets(), out, !noFormat);
    }
}
