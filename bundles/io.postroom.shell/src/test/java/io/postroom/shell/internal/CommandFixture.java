package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.testing.fakes.InMemoryMailboxService;
import io.postroom.testing.fakes.InMemoryMessageService;
import io.postroom.testing.fakes.InMemorySyncService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.support.CommandException;

/**
 * Commands as Karaf runs them (fields injected, execute called) against the in-memory mailbox, sync
 * and message services, in the tenant {@code demo}; what they print is kept for {@link #output()}.
 * A new fixture (new services) for every test.
 */
abstract class CommandFixture {
    final InMemoryMailboxService mailboxes = new InMemoryMailboxService();
    final InMemorySyncService sync = new InMemorySyncService(mailboxes);
    final InMemoryMessageService messages = new InMemoryMessageService(mailboxes);
    final ShellActors actors = new ShellActors("demo");
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private int seq;

    /**
     * {@code command} with the services injected, in a session of {@code user} (null: nobody logged
     * in) where {@code typed} answers prompts (null: headless).
     */
    <C extends PostroomCommand> C command(C command, String user, String typed) {
        command.mailboxes = mailboxes;
        command.sync = sync;
        command.messages = messages;
        command.actors = actors;
        command.session = TestSession.of(user, typed);
        command.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        return command;
    }

    /** {@code command} in a headless session of {@code user}. */
    <C extends PostroomCommand> C command(C command, String user) {
        return command(command, user, null);
    }

    /** What the commands printed since the last call. */
    String output() {
        String text = output.toString(StandardCharsets.UTF_8);
        output.reset();
        return text;
    }

    /** A new address of {@code user}'s: alice1@example.org, alice2@example.org, ... (numbered per test). */
    String newAddress(String user) {
        return user + (++seq) + "@example.org";
    }

    MailboxId connect(String user, SettingsUpdate settings) {
        return mailboxes.connect(user, newAddress(user), settings).id();
    }

    MailboxId connect(String user) {
        return connect(user, SettingsUpdate.NONE);
    }

    /** The "help" text of the {@link CommandException} the command fails with. */
    static String failureOf(PostroomCommand command) {
        Throwable t = catchThrowable(command::execute);
        assertThat(t).isInstanceOf(CommandException.class);
        return ((CommandException) t).getNiceHelp();
    }
}
