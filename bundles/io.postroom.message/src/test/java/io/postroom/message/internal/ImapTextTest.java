package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bits of IMAP text the attachment fetcher writes and compares. */
class ImapTextTest {

    @Test
    void searchTextIsAQuotedStringOrNothing() {
        assertThat(ImapSession.quoted("abc.123@example.com")).isEqualTo("\"abc.123@example.com\"");
        assertThat(ImapSession.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(ImapSession.quoted("line\r\nbreak")).as("no CR/LF into a command").isNull();
        assertThat(ImapSession.quoted("ünïcode@example.com")).isNull();
    }

    @Test
    void messageIdsCompareWithoutBracketsWhiteSpaceOrCase() {
        assertThat(AttachmentFetcher.bare(" <abc@example.com> ")).isEqualTo("abc@example.com");
        assertThat(AttachmentFetcher.bare("abc@example.com")).isEqualTo("abc@example.com");
        assertThat(AttachmentFetcher.bare("<abc@example.com> (a comment)")).isEqualTo("abc@example.com");
        assertThat(AttachmentFetcher.bare(null)).isEmpty();
        assertThat(AttachmentFetcher.sameMessageId("abc@example.com", "<ABC@example.com>")).isTrue();
        assertThat(AttachmentFetcher.sameMessageId("abc@example.com", "<abc@example.com.evil>")).isFalse();
        assertThat(AttachmentFetcher.sameMessageId("abc@example.com", null)).isFalse();
    }
}
