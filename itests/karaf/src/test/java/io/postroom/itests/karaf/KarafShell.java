package io.postroom.itests.karaf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs console commands inside Karaf as a logged-in user, the way an SSH session does: in
 * {@code Subject.doAs} of a subject with the user's name and roles. Every output is kept for the
 * password leak check.
 */
final class KarafShell {
    private static final long TIMEOUT_SECONDS = 120;

    /** The output of a command and how it ended. */
    record Result(String command, String output, Throwable failure) {
        boolean failed() {
            return failure != null;
        }

        /** The output and, when the command failed, Karaf's message for it. */
        String text() {
            return failure == null ? output : output + failure.getMessage();
        }
    }

    private final SessionFactory sessions;
    private final List<String> transcript;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    KarafShell(SessionFactory sessions, List<String> transcript) {
        this.sessions = sessions;
        this.transcript = transcript;
    }

    /** Runs a command that must succeed; returns what it printed. */
    String run(String user, String command, String... roles) {
        Result r = execute(user, command, roles);
        if (r.failed()) {
            throw new AssertionError("'" + command + "' as " + user + " failed: " + r.failure().getMessage()
                    + "\nOutput:\n" + r.output(), r.failure());
        }
        return r.output();
    }

    /** Runs a command that must fail; returns its output and Karaf's message for the failure. */
    String fail(String user, String command, String... roles) {
        Result r = execute(user, command, roles);
        if (!r.failed()) {
            throw new AssertionError("'" + command + "' as " + user + " should have failed but printed:\n" + r.output());
        }
        return r.text();
    }

    Result execute(String user, String command, String... roles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        for (String role : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        Future<Throwable> done = executor.submit(() -> Subject.doAs(subject, (PrivilegedExceptionAction<Throwable>) () -> {
            Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Object result = session.execute(command);
                if (result != null) {
                    session.getConsole().println(String.valueOf(result));
                }
                return null;
            } catch (Exception e) {
                return e;
            } finally {
                out.flush();
                session.close();
            }
        }));
        Throwable failure;
        try {
            failure = done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            failure = new AssertionError("'" + command + "' did not finish in " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
        Result result = new Result(command, bytes.toString(StandardCharsets.UTF_8), failure);
        synchronized (transcript) { // what Karaf printed, not the command line (which holds the password we typed)
            transcript.add(result.text());
        }
        return result;
    }
}
