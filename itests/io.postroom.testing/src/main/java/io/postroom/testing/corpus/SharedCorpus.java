package io.postroom.testing.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shared corpus of real-world and malformed messages (/work/shared/corpus: the Ruby mail
 * gem's fixtures, about 100 files). Read in place, never copied into the repository.
 *
 * <p>Located by the system property {@value #PROPERTY} (surefire sets it), else by looking for
 * {@code ../shared/corpus} next to the repository (from the working directory upwards). Tests
 * that need it skip when it is absent: {@link EnabledIfCorpus}.
 */
public final class SharedCorpus {

    /** The system property naming the corpus directory. */
    public static final String PROPERTY = "postroom.corpus";
    /** Why corpus tests are skipped. */
    public static final String ABSENT = "Shared mail corpus not found: set -D" + PROPERTY
            + "=<dir> or put it at ../shared/corpus next to the repository";

    private SharedCorpus() {
    }

    /** The corpus directory, if there is one. */
    public static Optional<Path> locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(path)) {
                return Optional.of(path);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path parent = dir.getParent();
            if (parent != null && Files.isRegularFile(dir.resolve("pom.xml"))) {
                Path candidate = parent.resolve("shared").resolve("corpus");
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    public static boolean isPresent() {
        return locate().isPresent();
    }

    /** The corpus directory; fails with {@link #ABSENT} when there is none. */
    public static Path root() {
        return locate().orElseThrow(() -> new IllegalStateException(ABSENT));
    }

    /**
     * Every message file of the corpus, sorted by path: all regular files except documentation
     * (README*, LICENSE*, *.md) and hidden files. Some have no .eml ending; one may be empty.
     */
    public static List<Path> messages() {
        return messages(root());
    }

    /** The message files under one part of the corpus, e.g. {@code "mail-gem/error_emails"}. */
    public static List<Path> messages(String subdirectory) {
        Path dir = root().resolve(subdirectory).normalize();
        if (!dir.startsWith(root()) || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no directory " + subdirectory + " in the corpus at " + root());
        }
        return messages(dir);
    }

    private static List<Path> messages(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(SharedCorpus::isMessage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus at " + dir, e);
        }
    }

    private static boolean isMessage(Path file) {
        String name = file.getFileName().toString();
        String upper = name.toUpperCase(Locale.ROOT);
        return !name.startsWith(".") && !upper.startsWith("README") && !upper.startsWith("LICENSE")
                && !upper.endsWith(".MD");
    }
}
