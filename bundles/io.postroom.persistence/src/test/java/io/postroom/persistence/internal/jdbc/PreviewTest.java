package io.postroom.persistence.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreviewTest {
    @Test
    void whiteSpaceRunsBecomeOneSpaceAndTheEndsAreTrimmed() {
        assertThat(JdbcMessageStore.preview("\n\n  Hello,\r\n\r\n\tworld \u00a0 again  \n")).isEqualTo("Hello, world again");
    }

    @Test
    void controlCharactersAreSpacesToo() {
        assertThat(JdbcMessageStore.preview("a\u0000b\u0001\u0001c")).isEqualTo("a b c");
    }

    @Test
    void emptyOrBlankTextGivesAnEmptyPreview() {
        assertThat(JdbcMessageStore.preview(null)).isEmpty();
        assertThat(JdbcMessageStore.preview("")).isEmpty();
        assertThat(JdbcMessageStore.preview(" \n\t ".repeat(10_000))).isEmpty();
    }

    @Test
    void longTextIsCutAtTheLimitWithoutTrailingSpace() {
        String preview = JdbcMessageStore.preview("word ".repeat(1000));
        assertThat(preview).hasSizeLessThanOrEqualTo(JdbcMessageStore.MAX_PREVIEW).startsWith("word word").doesNotEndWith(" ");
        assertThat(JdbcMessageStore.preview("x".repeat(JdbcMessageStore.MAX_PREVIEW - 1) + " y z"))
                .isEqualTo("x".repeat(JdbcMessageStore.MAX_PREVIEW - 1));
    }

    @Test
    void aSurrogatePairIsNotSplitAtTheLimit() {
        String preview = JdbcMessageStore.preview("a".repeat(JdbcMessageStore.MAX_PREVIEW - 1) + "\ud83d\ude00 more");
        assertThat(preview).hasSize(JdbcMessageStore.MAX_PREVIEW - 1).doesNotContain("\ud83d");
    }
}
