package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.postroom.api.Secret;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Passwords appear in no log, no console output and no exception, even with Angus Mail's protocol
 * trace switched on (FINEST), for failing and succeeding logins over IMAP and SMTP.
 */
class PasswordNeverLoggedTest {
    private static final String WRONG = "Wr0ng-Passw0rd-42";

    @Test
    void passwordsNeverAppearInLogsOrErrors() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> julRecords = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String text = r.getMessage();
                if (r.getParameters() != null) {
                    text = text + " " + java.util.Arrays.toString(r.getParameters());
                }
                if (r.getThrown() != null) {
                    text = text + " " + r.getThrown();
                }
                synchronized (julRecords) {
                    julRecords.add(r.getLoggerName() + " " + text);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Logger angus = Logger.getLogger("org.eclipse.angus");
        Level previousLevel = angus.getLevel();
        angus.setLevel(Level.FINEST);
        angus.addHandler(handler);
        List<Throwable> failures = new ArrayList<>();
        try (TestGreenMail servers = new TestGreenMail()) {
            System.setOut(capture);
            System.setErr(capture);
            MailConnector connector = MailConnectors.create(TestGreenMail.loopbackConfig());
            Credentials right = TestGreenMail.credentials();
            Credentials wrong = new Credentials(TestGreenMail.USER, Secret.of(WRONG));

            failures.add(catchThrowable(() -> connector.openImap(servers.imap(), wrong)));
            failures.add(catchThrowable(() -> connector.openSmtp(servers.smtp(), wrong)));
            failures.add(catchThrowable(() -> connector.openImap(servers.imaps(), right))); // untrusted certificate
            try (ImapConnection imap = connector.openImap(servers.imap(), right)) {
                imap.listFolders();
            }
            try (SmtpConnection smtp = connector.openSmtp(servers.smtp(), right)) {
                MimeMessage m = new MimeMessage(smtp.session());
                m.setFrom(new InternetAddress(TestGreenMail.USER));
                m.setRecipients(Message.RecipientType.TO, "bob@example.com");
                m.setText("hello");
                smtp.send(m);
            }
            for (Throwable t : failures) {
                assertThat(t).isNotNull();
                t.printStackTrace(capture); // what a log of the exception would show
                capture.println(t.getMessage());
            }
            capture.println(right);
        } finally {
            System.setOut(out);
            System.setErr(err);
            angus.removeHandler(handler);
            angus.setLevel(previousLevel);
        }
        String everything = console.toString(StandardCharsets.UTF_8) + "\n" + String.join("\n", julRecords);

        // the capture works: Angus's protocol trace and Postroom's own debug lines are in it
        assertThat(julRecords).anySatisfy(r -> assertThat(r).contains("CAPABILITY"));
        assertThat(everything).contains("failed at LOGIN: AUTHENTICATION");

        for (String password : List.of(TestGreenMail.PASSWORD, WRONG)) {
            assertThat(everything).doesNotContain(password);
            assertThat(everything).doesNotContain(base64(password));
            assertThat(everything).doesNotContain(base64("\0" + TestGreenMail.USER + "\0" + password));
            assertThat(everything).doesNotContain(base64(TestGreenMail.USER + "\0" + TestGreenMail.USER + "\0" + password));
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
