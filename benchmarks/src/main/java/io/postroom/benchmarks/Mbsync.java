package io.postroom.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * mbsync (Debian isync), the tool a user would pick for a raw mailbox copy: pulls one IMAP folder
 * into a fresh Maildir, with or without forced flushing ({@code FSync}), as fast as it can
 * (pipelining unlimited, its default).
 */
final class Mbsync {
    static final Path BINARY = Path.of(System.getProperty("bench.mbsync", "/usr/bin/mbsync"));

    /** One run: messages found in the Maildir afterwards, and the time mbsync took. */
    record Result(long messages, long nanos, String log) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    private Mbsync() {
    }

    static boolean isAvailable() {
        return Files.isExecutable(BINARY);
    }

    static String version() {
        if (!isAvailable()) {
            return "not installed";
        }
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    static Result pull(Path work, String host, int port, String user, String password, String folder, boolean fsync)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "mbsync-");
        try {
            Path maildir = dir.resolve("mail");
            Files.createDirectories(maildir);
            Path passFile = dir.resolve("pass");
            Files.writeString(passFile, password);
            Path rc = dir.resolve("mbsyncrc");
            Files.writeString(rc, String.join("\n", List.of(
                    "FSync " + (fsync ? "yes" : "no"),
                    "",
                    "IMAPAccount bench",
                    "Host " + host,
                    "Port " + port,
                    "User " + user,
                    "PassCmd \"cat " + passFile + "\"",
                    "SSLType None",
                    "AuthMechs LOGIN",
                    "",
                    "IMAPStore far",
                    "Account bench",
                    "",
                    "MaildirStore near",
                    "Path " + maildir + "/",
                    "Inbox " + maildir + "/INBOX",
                    "",
                    "Channel bench",
                    "Far :far:",
                    "Near :near:",
                    "Patterns " + folder,
                    "Create Near",
                    "Sync Pull",
                    "SyncState *",
                    "")));
            ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-c", rc.toString(), "bench")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.HOURS)) {
                p.destroyForcibly();
                throw new IOException("mbsync did not finish in 2 hours");
            }
            long nanos = System.nanoTime() - start;
            String log = Files.readString(dir.resolve("log"));
            if (p.exitValue() != 0) {
                throw new IOException("mbsync failed (" + p.exitValue() + "): " + log);
            }
            long messages = 0;
            Path inbox = maildir.resolve(folder.equals("INBOX") ? "INBOX" : folder);
            for (String sub : List.of("cur", "new")) {
                Path d = inbox.resolve(sub);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> files = Files.list(d)) {
                        messages += files.count();
                    }
                }
            }
            return new Result(messages, nanos, log);
        } finally {
            Benchmark.deleteTree(dir);
        }
    }
}
