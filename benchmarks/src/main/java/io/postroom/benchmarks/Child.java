package io.postroom.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The benchmark's handle on a {@link SyncChild} JVM. */
final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Path log;
    private final java.io.Writer other;
    private String mailbox;

    private Child(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.other = Files.newBufferedWriter(Path.of(log.toString().replace(".log", ".out")));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts a node JVM and waits until it is warm. */
    static Child start(Path work, String name, List<String> jvmOptions, Map<String, String> options) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SyncChild.class.getName());
        options.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        Child child = new Child(p, log);
        String ready = child.await("READY");
        child.mailbox = ready.contains("mailbox=") ? ready.substring(ready.indexOf("mailbox=") + 8).strip() : null;
        return child;
    }

    /** The id of the mailbox this node synchronises. */
    String mailbox() {
        return mailbox;
    }

    /** One sync run; its figures. */
    Map<String, String> sync(String label) throws IOException {
        return sync(label, 0);
    }

    /** One sync run with the live heap sampled every {@code sampleMillis} (0: not sampled; the run is disturbed). */
    Map<String, String> sync(String label, long sampleMillis) throws IOException {
        in.println("sync " + label + (sampleMillis > 0 ? " sample=" + sampleMillis : ""));
        String line = await("RESULT " + label + " ");
        Map<String, String> result = new LinkedHashMap<>();
        for (String kv : line.substring(("RESULT " + label + " ").length()).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                result.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return result;
    }

    /** Diagnostics: the node's live objects by class go to its log. */
    void histogram() throws IOException {
        in.println("histo");
        await("RESULT histo ");
    }

    private String await(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            // JVM diagnostics (-XX:+PrintCompilation ...) may share the line: look for the marker anywhere
            int at = line.indexOf(prefix.strip());
            if (at >= 0) {
                return line.substring(at);
            }
            if (line.startsWith("ERROR")) {
                throw new IOException("benchmark node: " + line);
            }
            other.write(line);
            other.write('\n');
        }
        throw new IOException("the benchmark node ended before " + prefix.strip() + "; its log " + log + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            other.close();
        } catch (IOException e) {
            // only diagnostics
        }
        in.println("quit");
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
