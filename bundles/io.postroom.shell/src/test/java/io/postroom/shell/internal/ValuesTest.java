package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @Test
    void yesNoAcceptsTheUsualWords() {
        for (String yes : List.of("yes", "YES", "true", "on", "y")) {
            assertThat(Values.yesNo("--crm-linking", yes)).isTrue();
        }
        for (String no : List.of("no", "False", "off", "n")) {
            assertThat(Values.yesNo("--crm-linking", no)).isFalse();
        }
        assertThat(Values.yesNo("--crm-linking", null)).isNull();
        assertThatThrownBy(() -> Values.yesNo("--crm-linking", "maybe"))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("--crm-linking", "yes or no");
                    assertThat(e.details()).containsEntry("field", "--crm-linking");
                });
    }

    @Test
    void enumValuesAreLowerCaseWithHyphenOrUnderscore() {
        assertThat(Values.enumValue("--imap-security", "SSL", Security.class)).isEqualTo(Security.SSL);
        assertThat(Values.enumValue("--visibility", "owner-and-managers", MessageVisibility.class))
                .isEqualTo(MessageVisibility.OWNER_AND_MANAGERS);
        assertThat(Values.enumValue("--visibility", "owner_only", MessageVisibility.class)).isEqualTo(MessageVisibility.OWNER_ONLY);
        assertThat(Values.tokens(Security.class)).containsExactly("ssl", "starttls", "none");
    }

    @Test
    void wrongEnumValueListsTheAllowedOnes() {
        assertThatThrownBy(() -> Values.enumValue("--imap-security", "tls", Security.class))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage()).isEqualTo("'tls' is not a valid value of --imap-security; choose one of ssl, starttls, none.");
                    assertThat(e.details()).containsEntry("allowed", List.of("ssl", "starttls", "none"));
                });
    }

    @Test
    void portMustBeANumber() {
        assertThat(Values.port("--imap-port", " 993 ")).isEqualTo(993);
        assertThatThrownBy(() -> Values.port("--imap-port", "imaps"))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PORT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice\r\nBcc: x@evil.example", "Alice\n", "\rAlice"})
    void lineBreaksAreRefused(String value) {
        assertThatThrownBy(() -> Values.line("--sender-name", value))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.HEADER_INJECTION);
                    assertThat(e.details()).containsEntry("field", "--sender-name");
                });
        assertThatThrownBy(() -> Values.lines("--folder", List.of("INBOX", value)))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HEADER_INJECTION));
    }

    @Test
    void repeatedOptionsDropBlanks() {
        assertThat(Values.lines("--folder", null)).isNull();
        assertThat(Values.lines("--folder", List.of(""))).isEmpty();
        assertThat(Values.lines("--folder", List.of(" INBOX ", "Sent"))).containsExactly("INBOX", "Sent");
        assertThat(Values.users("--shared-with", Arrays.asList("bob", "", "carol"))).containsExactly(UserId.of("bob"), UserId.of("carol"));
    }

    @Test
    void numbersAreCheckedAgainstTheirRangeNamingTheOption() {
        assertThat(Values.number("--limit", null, 1, 200, 20)).isEqualTo(20);
        assertThat(Values.number("--limit", " 7 ", 1, 200, 20)).isEqualTo(7);
        for (String bad : List.of("0", "201", "x", "", "1.5")) {
            assertThatThrownBy(() -> Values.number("--limit", bad, 1, 200, 20))
                    .isInstanceOfSatisfying(PostroomException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.details()).containsEntry("field", "--limit");
                    });
        }
    }

    @Test
    void printableDropsEscapeSequencesAndControlCharacters() {
        assertThat(Values.printable(null)).isEmpty();
        assertThat(Values.printable("a\u001b[31mb\u0007c\r\nd\te\u009bf\u202Eg\u0000h")).isEqualTo("a[31mbc\nd\tefgh");
        assertThat(Values.printable("Zürich – €")).isEqualTo("Zürich – €");
        assertThat(Values.cell("one\ntwo\tthree")).isEqualTo("one two three");
    }
}
