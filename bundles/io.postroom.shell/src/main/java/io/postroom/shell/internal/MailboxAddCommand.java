package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.shell.internal.Completers.Presets;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-add",
        description = "Connects a mailbox: logs in to its IMAP and SMTP servers, shows the folders found, saves it and sends a verification code to its address. Asks for the password when --password is not given.")
@Service
public class MailboxAddCommand extends MailboxOptions {

    @Argument(index = 0, name = "address", required = true, description = "The e-mail address of the account")
    String address;

    @Option(name = "--preset", description = "Provider preset id (see postroom:presets); default custom, which needs --imap-host and --smtp-host")
    @Completion(Presets.class)
    String preset;

    @Override
    void run(Actor actor, PrintStream out) {
        SettingsUpdate settings = settingsUpdate(); // refuse bad options before asking anything
        Secret secret = password != null ? Secret.of(password) : promptPassword("Password for " + address + ": ");
        try {
            ConnectionRequest request = connectionRequest(preset, address, secret);
            ProbeResult probe = mailboxes.probe(actor, request);
            out.println("Logged in to IMAP " + MailboxPrinter.endpoint(probe.connection().imap()) + " and SMTP "
                    + MailboxPrinter.endpoint(probe.connection().smtp()) + " as " + Values.cell(probe.connection().username()) + ".");
            out.println("Folders on the server:");
            MailboxPrinter.folders(probe.folders(), out);
            Mailbox created = mailboxes.create(actor, new NewMailbox(request, settings));
            out.println();
            out.println("Mailbox " + created.id() + " connected:");
            MailboxPrinter.details(created, out);
            out.println();
            out.println("A verification code was sent to " + created.address() + ". Confirm it with: postroom:mailbox-verify "
                    + created.id() + " <code>");
        } finally {
            secret.clear();
        }
    }
}
