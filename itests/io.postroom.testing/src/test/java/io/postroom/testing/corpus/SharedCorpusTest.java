package io.postroom.testing.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

@EnabledIfCorpus
class SharedCorpusTest {

    @Test
    void listsEveryMessageFileButNotTheDocumentation() {
        List<Path> messages = SharedCorpus.messages();
        assertThat(messages).hasSizeGreaterThan(50);
        assertThat(messages).allMatch(Files::isRegularFile);
        assertThat(messages).noneMatch(path -> path.getFileName().toString().startsWith("README"));
        assertThat(messages).noneMatch(path -> path.getFileName().toString().startsWith("LICENSE"));
        assertThat(messages).anyMatch(path -> !path.getFileName().toString().endsWith(".eml"));
        assertThat(messages).isSorted();
    }

    @Test
    void listsOnePartOfTheCorpusAndRefusesToLeaveIt() {
        Path errors = SharedCorpus.root().resolve("mail-gem/error_emails");
        assumeTrue(Files.isDirectory(errors));
        assertThat(SharedCorpus.messages("mail-gem/error_emails")).isNotEmpty().allMatch(path -> path.startsWith(errors));
        assertThatThrownBy(() -> SharedCorpus.messages("../..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedCorpus.messages("no-such-part")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-part");
    }

    @Test
    void isFoundNextToTheRepositoryWithoutTheProperty() throws Exception {
        String property = System.clearProperty(SharedCorpus.PROPERTY);
        try {
            Optional<Path> found = SharedCorpus.locate();
            assumeTrue(found.isPresent(), "corpus is not at ../shared/corpus here");
            assertThat(found.get().toRealPath()).isEqualTo(Path.of(property != null ? property : found.get().toString()).toRealPath());
        } finally {
            if (property != null) {
                System.setProperty(SharedCorpus.PROPERTY, property);
            }
        }
    }
}
