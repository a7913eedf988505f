package io.postroom.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import org.junit.jupiter.api.Test;

class ParseOptionsTest {

    @Test
    void defaults() {
        ParseOptions options = ParseOptions.defaults();
        assertThat(options.maxTextBytes()).isEqualTo(1 << 20);
        assertThat(options.maxTotalTextBytes()).isEqualTo(4 << 20);
        assertThat(options.remoteImages()).isEqualTo(RemoteImages.BLOCK);
        assertThat(options.withMaxTextBytes(8 << 20).maxTotalTextBytes()).isEqualTo(8 << 20);
    }

    @Test
    void limitsBelowTheMinimumAreRefusedWithAFieldAndAFix() {
        assertThatThrownBy(() -> ParseOptions.defaults().withMaxDepth(1))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.details()).containsEntry("field", "maxDepth");
                    assertThat(e.getMessage()).isEqualTo("The parser limit maxDepth must be at least 2, not 1.");
                });
        assertThatThrownBy(() -> ParseOptions.defaults().withMaxDepth(10_000))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).isEqualTo("The parser limit maxDepth must be at most 256, not 10000.");
                });
        assertThatThrownBy(() -> new ParseOptions(10, 10, 32, 10, 4096, 256, null))
                .isInstanceOfSatisfying(PostroomException.class,
                        e -> assertThat(e.details()).containsEntry("field", "maxTextBytes"));
        assertThatThrownBy(() -> new ParseOptions(4096, 1024, 32, 10, 4096, 256, null))
                .isInstanceOfSatisfying(PostroomException.class,
                        e -> assertThat(e.details()).containsEntry("field", "maxTotalTextBytes"));
    }
}
