package io.postroom.shell.internal;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.shell.internal.Completers.MailboxIds;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command about one mailbox, named by its id as the first argument. */
abstract class MailboxIdCommand extends PostroomCommand {

    @Argument(index = 0, name = "id", required = true, description = "The mailbox id (see postroom:mailbox-list)")
    @Completion(MailboxIds.class)
    String id;

    MailboxId mailboxId() {
        return MailboxId.parse(id);
    }
}
