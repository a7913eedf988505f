package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.shell.internal.Completers.MailboxIds;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "mailbox-set",
        description = "Changes a mailbox's settings and/or connection (owner only); options not given stay as they are. A connection change is tested before it is saved.")
@Service
public class MailboxSetCommand extends MailboxOptions {

    @Argument(index = 0, name = "id", required = true, description = "The mailbox id (see postroom:mailbox-list)")
    @Completion(MailboxIds.class)
    String id;

    @Option(name = "--ask-password", description = "Asks for a new password without echo")
    boolean askPassword;

    @Override
    void run(Actor actor, PrintStream out) {
        MailboxId mailbox = MailboxId.parse(id);
        SettingsUpdate settings = settingsUpdate();
        if (askPassword && password != null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "--ask-password", "Give either --password or --ask-password, not both.");
        }
        ConnectionUpdate probe = connectionUpdate(null);
        if (settings.isEmpty() && probe.isEmpty() && password == null && !askPassword) {
            throw new PostroomException(ErrorCode.INVALID_INPUT,
                    "Nothing to change: give at least one option (see postroom:mailbox-set --help).");
        }
        Secret secret = askPassword ? promptPassword("New password: ") : password != null ? Secret.of(password) : null;
        try {
            MailboxPrinter.details(mailboxes.update(actor, mailbox, settings, connectionUpdate(secret)), out);
        } finally {
            if (secret != null) {
                secret.clear();
            }
        }
    }
}
