package io.postroom.demo.mailserver.internal.command;

import io.postroom.demo.mailserver.internal.DemoMailboxes;
import io.postroom.demo.mailserver.internal.DemoMessage;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Shows what a demo account received, such as the verification code Postroom sends. */
@Service
@Command(scope = "postroom", name = "demo-inbox",
        description = "Lists the newest messages of a demo mail account (for example the verification code Postroom sent)")
public class DemoInbox implements Action {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Reference
    DemoMailboxes mailboxes;

    @Argument(index = 0, name = "address", description = "The demo account, such as alice@example.com", required = true)
    String address;

    @Option(name = "-n", aliases = "--count", description = "How many messages (default 5)")
    int count = 5;

    @Option(name = "-f", aliases = "--folder", description = "The folder (default INBOX)")
    String folder = "INBOX";

    @Override
    public Object execute() {
        List<DemoMessage> messages = mailboxes.latest(address, folder, count);
        if (messages.isEmpty()) {
            System.out.println(folder + " of " + address + " is empty.");
            return null;
        }
        for (DemoMessage m : messages) {
            System.out.println(TIME.format(m.received()) + "  " + m.from());
            System.out.println("    " + m.subject());
            if (!m.preview().isEmpty()) {
                System.out.println("    " + m.preview());
            }
        }
        return null;
    }
}
