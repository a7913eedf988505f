package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.SyncService;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;

/**
 * What every postroom command shares: who acts (the session's logged-in user), the services, and
 * how a failure ends the command. A {@link PostroomException} prints {@code Error (<code>):
 * <message>} and fails the command (so {@code bin/client} exits with status 1), without a stack
 * trace.
 *
 * <p>The {@link SyncService} and the {@link MessageService} are optional: the commands stay
 * registered without them (a host that does not install them), and those that need one fail with
 * {@code Error (unavailable)} saying so. Karaf injects the services anew for every execution, so
 * a service that appears later is used at once.
 */
abstract class PostroomCommand implements Action {

    @Reference
    MailboxService mailboxes;

    @Reference
    ShellActors actors;

    @Reference(optional = true)
    SyncService sync;

    @Reference(optional = true)
    MessageService messages;

    @Reference
    Session session;

    /** Where output goes; the session's console unless a test sets it. */
    PrintStream out;

    @Override
    public final Object execute() throws Exception {
        PrintStream console = out != null ? out : System.out;
        return ThreadNames.masked(() -> {
            try {
                run(actors.actor(session), console);
                return null;
            } catch (PostroomException e) {
                throw failure(MailboxPrinter.error(e), e);
            }
        });
    }

    /** Does the command's work; a {@link PostroomException} fails the command. */
    abstract void run(Actor actor, PrintStream out) throws Exception;

    /** The sync service, or {@code unavailable} when it is not running. */
    SyncService sync() {
        if (sync == null) {
            throw new PostroomException(ErrorCode.UNAVAILABLE,
                    "Synchronisation is not available: the Postroom sync service is not running here "
                            + "(is the bundle io.postroom.sync installed and active? see bundle:list | grep -i postroom).");
        }
        return sync;
    }

    /** The message service, or {@code unavailable} when it is not running. */
    MessageService messages() {
        if (messages == null) {
            throw new PostroomException(ErrorCode.UNAVAILABLE,
                    "Messages are not available: the Postroom message service is not running here "
                            + "(is the bundle io.postroom.message installed and active? see bundle:list | grep -i postroom).");
        }
        return messages;
    }

    /** Karaf prints a {@link CommandException}'s "help" text as it is and logs it only at debug. */
    static CommandException failure(String message, Throwable cause) {
        return new CommandException(message, message, cause);
    }

    /** Reads a password without echo. */
    Secret promptPassword(String prompt) {
        String typed;
        try {
            typed = session == null ? null : session.readLine(prompt, '*');
        } catch (IOException | RuntimeException e) {
            // headless sessions (bin/client with a command) cannot prompt; end of input
            typed = null;
        }
        if (typed == null) {
            throw PostroomException.invalid(ErrorCode.BLANK_PASSWORD, "--password",
                    "No password was typed: give --password, or run the command in an interactive console.");
        }
        return Secret.of(typed);
    }
}
