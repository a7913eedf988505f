package io.postroom.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One standalone Postroom as an operator runs it: the assembly's archive unpacked into a folder of
 * its own, its etc/ files edited before the first start, {@code bin/karaf daemon} as a child
 * process. {@code daemon} makes the script exec the JVM, so the child process IS the Karaf JVM and
 * {@link #kill()} is a {@code kill -9} of it (no wrapper script left that could outlive it).
 * Runs in the test driver only.
 */
final class KarafNode implements AutoCloseable {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    final String name;
    final Path home;
    final int httpPort;
    final int sshPort;
    final int rmiRegistryPort;
    final int rmiServerPort;
    private Process process;
    /** Kills the node if the test JVM exits without tearing down (a failsafe timeout): no orphaned Karaf. */
    private Thread killOnExit;

    private KarafNode(String name, Path home, int[] ports) {
        this.name = name;
        this.home = home;
        this.httpPort = ports[0];
        this.sshPort = ports[1];
        this.rmiRegistryPort = ports[2];
        this.rmiServerPort = ports[3];
    }

    /**
     * Unpacks the assembly into {@code home} (emptied first) with the system's tar, which keeps the
     * scripts executable, and gives the node HTTP, SSH and JMX (registry, server) ports of its own,
     * {@code ports[0..3]}, on 127.0.0.1.
     */
    static KarafNode unpack(String name, Path assembly, Path home, int[] ports) {
        deleteRecursively(home);
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("tar", "xzf", assembly.toString(), "-C", home.toString(), "--strip-components=1"), Duration.ofMinutes(2));
        KarafNode node = new KarafNode(name, home, ports);
        node.set("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(node.httpPort));
        node.set("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1");
        node.set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(node.sshPort));
        node.set("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        node.set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(node.rmiRegistryPort));
        node.set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(node.rmiServerPort));
        return node;
    }

    /** Sets {@code key = value} in a configuration file of the node (replacing the key's line, else appending). */
    void set(String file, String key, String value) {
        Path path = home.resolve(file);
        try {
            List<String> lines = Files.exists(path) ? new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8))
                    : new ArrayList<>();
            Pattern line = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*[=:].*");
            String entry = key + " = " + value;
            boolean replaced = false;
            for (int i = 0; i < lines.size(); i++) {
                if (line.matcher(lines.get(i)).matches()) {
                    lines.set(i, entry);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                lines.add(entry);
            }
            Files.write(path, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot edit " + path, e);
        }
    }

    /** Writes a whole configuration file of the node. */
    void write(String file, Map<String, String> entries) {
        List<String> lines = new ArrayList<>();
        entries.forEach((k, v) -> lines.add(k + " = " + v));
        try {
            Files.write(home.resolve(file), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a file into the node (keeping its permissions: the secret key file stays owner-only). */
    void copy(Path source, String file) {
        try {
            Files.copy(source, home.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code bin/karaf daemon} (no console; the script execs the JVM) with the test's Java. */
    void start() {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("karaf.out").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_MAX_MEM", "512M");
        pb.environment().remove("KARAF_HOME");
        pb.environment().remove("KARAF_BASE");
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
        Process started = process;
        killOnExit = new Thread(started::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running JVM's command (its executable), to show that the process is the JVM itself. */
    String command() {
        return process == null ? "" : process.info().command().orElse("");
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9} of the Karaf JVM (and of any child it started); waits until it is gone. */
    void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            if (!p.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + p.pid() + ") did not die within " + EXIT_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException exiting) {
                // the hook runs anyway
            }
            killOnExit = null;
        }
    }

    /** The last {@code lines} lines of Karaf's log (data/log/karaf.log) and of its console output. */
    String logTail(int lines) {
        StringBuilder out = new StringBuilder();
        for (Path file : List.of(home.resolve("data/log/karaf.log"), home.resolve("karaf.out"))) {
            out.append("----- ").append(name).append(": ").append(file).append('\n');
            try {
                if (Files.exists(file)) {
                    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                    all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
                } else {
                    out.append("(missing)\n");
                }
            } catch (IOException | UncheckedIOException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** Karaf's whole log (empty while there is none). */
    String log() {
        Path file = home.resolve("data/log/karaf.log");
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + " (" + home + ", http " + httpPort + ")";
    }

    // ------------------------------------------------------------------ helpers

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
