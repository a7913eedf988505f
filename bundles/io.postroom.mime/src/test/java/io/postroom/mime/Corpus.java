package io.postroom.mime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared mail corpus: system property {@code postroom.corpus} (surefire sets it), else
 * {@code ../shared/corpus} above the repository. Tests that need it are skipped when it is absent.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The mail-gem directory; skips the calling test when the corpus is not there. */
    public static Path mailGem() {
        Path root = root();
        assumeTrue(root != null && Files.isDirectory(root.resolve("mail-gem")),
                "Mail corpus not found: set -Dpostroom.corpus=<dir containing mail-gem/> (looked at "
                        + System.getProperty("postroom.corpus", "../shared/corpus") + "); skipping corpus tests");
        return root.resolve("mail-gem");
    }

    /** Every message file (all regular files except the licence), sorted. */
    public static List<Path> messages() {
        Path dir = mailGem();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("LICENSE"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path file(String relative) {
        return mailGem().resolve(relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        String property = System.getProperty("postroom.corpus");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
