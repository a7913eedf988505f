package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "postroom", name = "message-show",
        description = "Shows one message: its headers, its text and its attachments (open them over REST: GET /postroom/api/v1/messages/{id}/attachments/{n})")
@Service
public class MessageShowCommand extends PostroomCommand {

    @Argument(index = 0, name = "message-id", required = true, description = "The message id (see postroom:messages)")
    String id;

    @Option(name = "--html", description = "Show the sanitised HTML instead of the text")
    boolean html;

    @Override
    void run(Actor actor, PrintStream out) {
        Message m = messages().get(actor, MessageId.parse(id));
        MessagePrinter.details(m, out, html);
    }
}
