package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.ParseProblem;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncodedWordsTest {
    private final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);

    private String decode(String s) {
        return EncodedWords.decode(s, problems);
    }

    @Test
    void rfc2047Examples() {
        assertThat(decode("=?ISO-8859-1?Q?a?=")).isEqualTo("a");
        assertThat(decode("=?ISO-8859-1?Q?a?= b")).isEqualTo("a b");
        assertThat(decode("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=")).isEqualTo("ab");
        assertThat(decode("=?ISO-8859-1?Q?a?=  \t =?ISO-8859-1?Q?b?=")).isEqualTo("ab");
        assertThat(decode("=?ISO-8859-1?Q?a_b?=")).isEqualTo("a b");
        assertThat(decode("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=")).isEqualTo("a b");
        assertThat(decode("=?US-ASCII*EN?Q?Keith_Moore?=")).isEqualTo("Keith Moore");
        assertThat(problems).isEmpty();
    }

    @Test
    void aCharacterSplitAcrossTwoWordsSurvives() {
        // "é" (C3 A9) split between two base64 words
        assertThat(decode("=?UTF-8?B?ww==?= =?UTF-8?B?qQ==?=")).isEqualTo("é");
        assertThat(decode("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=")).isEqualTo("café");
    }

    @Test
    void lenientForms() {
        assertThat(decode("=?utf-8?B?VGVzdA?=")).isEqualTo("Test"); // missing padding
        assertThat(decode("=?utf-8?B?VGVzdA==?=")).isEqualTo("Test");
        assertThat(decode("pre=?utf-8?Q?fix?=post")).isEqualTo("prefixpost"); // inside a word
        assertThat(decode("\"=?utf-8?Q?quoted?=\"")).isEqualTo("\"quoted\"");
        assertThat(decode("=?utf-8?Q?no_end")).isEqualTo("no end");
        assertThat(problems).containsExactly(ParseProblem.BAD_ENCODED_WORD);
    }

    @Test
    void unknownCharsetIsDecodedAsUtf8OrWindows1252() {
        assertThat(decode("=?x-unknown?Q?caf=C3=A9?=")).isEqualTo("café");
        assertThat(decode("=?bogus?Q?caf=E9?=")).isEqualTo("café");
        assertThat(problems).contains(ParseProblem.UNKNOWN_CHARSET);
    }

    @Test
    void notEncodedWordsStayAsTheyAre() {
        assertThat(decode("a =? b ?= c")).isEqualTo("a =? b ?= c");
        assertThat(decode("=?utf-8?X?abc?=")).isEqualTo("=?utf-8?X?abc?=");
        assertThat(decode("plain")).isEqualTo("plain");
        assertThat(problems).isEmpty();
    }

    @Test
    void utf7AndIso2022Words() {
        assertThat(decode("=?UTF-7?Q?Hi_+AOk-?=")).isEqualTo("Hi é");
        assertThat(decode("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=")).isEqualTo("テスト");
    }
}
