package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.message.MessagePage;
import io.postroom.api.message.MessageQuery;
import io.postroom.shell.internal.Completers.Folders;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "messages",
        description = "Lists a mailbox's messages in the CRM, newest first, a page at a time (see postroom:message-show for one)")
@Service
public class MessagesCommand extends MailboxIdCommand {
    static final int DEFAULT_LIMIT = 20;

    @Option(name = "--folder", description = "Only messages in this folder (its full name on the server, e.g. INBOX)")
    @Completion(Folders.class)
    String folder;

    @Option(name = "--limit", description = "Messages per page, 1 to 200 (default 20)")
    String limit;

    @Option(name = "--cursor", description = "Where the next page starts, as the previous page printed it")
    String cursor;

    @Option(name = "--no-format", description = "Plain output without table borders")
    boolean noFormat;

    @Override
    void run(Actor actor, PrintStream out) {
        int pageSize = Values.number("--limit", limit, 1, MessageQuery.MAX_LIMIT, DEFAULT_LIMIT);
        MessageQuery query = new MessageQuery(mailboxId(), Values.line("--folder", folder), Values.line("--cursor", cursor), pageSize);
        MessagePage page = messages().list(actor, query);
        MessagePrinter.list(page.messages(), out, !noFormat);
        if (page.nextCursor() != null) {
            out.println();
            out.println("More: postroom:messages " + id + (folder == null ? "" : " --folder \"" + Values.cell(folder) + "\"")
                    + (limit == null ? "" : " --limit " + pageSize) + " --cursor " + Values.cell(page.nextCursor()));
        }
    }
}
