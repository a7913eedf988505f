package io.postroom.testing.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what a test's code logs, for "the password never appears in logs" tests: standard
 * output and error (where slf4j-simple and Angus Mail's {@code mail.debug} write; still shown)
 * and java.util.logging at every level (Angus Mail logs there). Not for parallel tests: output
 * streams are global.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     connector.connect(mailbox, secret);
 *     assertThat(logs.findSecret("s3cret!")).isEmpty();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final Logger root;
    private final Level originalRootLevel;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final Handler handler;
    private boolean closed;

    private LogCapture() {
        originalOut = System.out;
        originalErr = System.err;
        root = Logger.getLogger("");
        originalRootLevel = root.getLevel();
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
        SimpleFormatter formatter = new SimpleFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                byte[] line = formatter.format(record).getBytes(StandardCharsets.UTF_8);
                synchronized (captured) {
                    captured.write(line, 0, line.length);
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
        root.addHandler(handler);
        root.setLevel(Level.ALL);
    }

    /** Starts capturing; {@link #close()} restores everything. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** All captured text so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    public boolean contains(String text) {
        return text().contains(text);
    }

    /**
     * Whether the secret appears in the captured text in any usual form: as is, URL-encoded, or
     * inside base64 (as in IMAP/SMTP {@code AUTHENTICATE PLAIN} or HTTP basic auth, whatever
     * comes before it). Returns the form found.
     */
    public Optional<String> findSecret(String secret) {
        String text = text();
        for (String form : secretForms(secret)) {
            if (text.contains(form)) {
                return Optional.of(form);
            }
        }
        return Optional.empty();
    }

    /**
     * The strings that betray a secret: itself, URL-encoded, and the parts of its base64 encoding
     * that do not depend on what precedes it (for each of the three alignments; for secrets of
     * at least 5 bytes).
     */
    public static List<String> secretForms(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("no secret given");
        }
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        String urlEncoded = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!urlEncoded.equals(secret)) {
            forms.add(urlEncoded);
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int prefix = 0; prefix < 3; prefix++) {
            byte[] combined = new byte[prefix + bytes.length];
            System.arraycopy(bytes, 0, combined, prefix, bytes.length);
            String encoded = Base64.getEncoder().encodeToString(combined);
            int firstGroup = (prefix + 2) / 3;              // first 3-byte group made only of secret bytes
            int endGroup = (prefix + bytes.length) / 3;      // groups after this one are partial
            if (endGroup - firstGroup >= 1) {
                forms.add(encoded.substring(firstGroup * 4, endGroup * 4));
            }
        }
        return forms;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        root.removeHandler(handler);
        root.setLevel(originalRootLevel);
    }

    private final class Tee extends OutputStream {
        private final PrintStream original;

        Tee(PrintStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) {
            synchronized (captured) {
                captured.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (captured) {
                captured.write(b, off, len);
            }
            original.write(b, off, len);
        }

        @Override
        public void flush() {
            original.flush();
        }
    }
}
