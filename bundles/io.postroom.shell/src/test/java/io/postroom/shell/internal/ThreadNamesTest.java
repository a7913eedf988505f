package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadNamesTest {

    @Test
    void masksEveryFormOfThePasswordOption() {
        assertThat(ThreadNames.mask("pipe-postroom:mailbox-add --password s3cret --preset gmail a@example.com"))
                .isEqualTo("pipe-postroom:mailbox-add --password **** --preset gmail a@example.com");
        assertThat(ThreadNames.mask("pipe-postroom:mailbox-set --password=s3cret 4"))
                .isEqualTo("pipe-postroom:mailbox-set --password=**** 4");
        assertThat(ThreadNames.mask("pipe-postroom:mailbox-add --password \"two words\" x@example.com"))
                .isEqualTo("pipe-postroom:mailbox-add --password **** x@example.com");
        assertThat(ThreadNames.mask("pipe-postroom:mailbox-list")).isEqualTo("pipe-postroom:mailbox-list");
    }

    @Test
    void commandRunsUnderTheMaskedNameAndTheNameIsRestored() throws Exception {
        Thread thread = Thread.currentThread();
        String original = thread.getName();
        thread.setName("pipe-postroom:mailbox-add --password hunter2 a@example.com");
        try {
            String seen = ThreadNames.masked(() -> Thread.currentThread().getName());
            assertThat(seen).doesNotContain("hunter2");
            assertThat(thread.getName()).contains("hunter2");
        } finally {
            thread.setName(original);
        }
    }
}
