package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.ParseProblem;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextDecoderTest {
    private final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);

    @Test
    void charsetLabelsAsMailUsesThem() {
        assertThat(Charsets.lookup("utf8")).contains(StandardCharsets.UTF_8);
        assertThat(Charsets.lookup("\"UTF-8\"")).contains(StandardCharsets.UTF_8);
        assertThat(Charsets.lookup("ks_c_5601-1987").orElseThrow().name()).isEqualTo("x-windows-949");
        assertThat(Charsets.lookup("iso-8859-1").orElseThrow().name()).isEqualTo("windows-1252");
        assertThat(Charsets.lookup("us-ascii").orElseThrow().name()).isEqualTo("windows-1252");
        assertThat(Charsets.lookup("iso8859_2").orElseThrow().name()).isEqualTo("ISO-8859-2");
        assertThat(Charsets.lookup("cp1251").orElseThrow().name()).isEqualTo("windows-1251");
        assertThat(Charsets.lookup("shift_jis").orElseThrow().name()).isEqualTo("windows-31j");
        assertThat(Charsets.lookup("gb2312").orElseThrow().name()).isEqualTo("GB18030");
        assertThat(Charsets.lookup("x-unknown")).isEmpty();
        assertThat(Charsets.lookup("3Dwindows-125=")).isEmpty();
        assertThat(Charsets.lookup("a".repeat(100))).isEmpty();
    }

    @Test
    void declaredCharsetIsUsedStrictly() {
        byte[] koi8 = "Привет".getBytes(Charset.forName("KOI8-R"));
        assertThat(TextDecoder.decode(koi8, "koi8-r", false, problems)).isEqualTo("Привет");
        assertThat(problems).isEmpty();
    }

    @Test
    void undeclared8BitIsUtf8OrWindows1252AndFlagged() {
        assertThat(TextDecoder.decode("café".getBytes(StandardCharsets.UTF_8), null, false, problems)).isEqualTo("café");
        assertThat(TextDecoder.decode("café".getBytes(StandardCharsets.ISO_8859_1), "us-ascii", false, problems))
                .isEqualTo("café");
        assertThat(problems).containsExactly(ParseProblem.EIGHT_BIT_TEXT);
    }

    @Test
    void mislabelledUtf8IsRecognised() {
        byte[] utf8 = "日本".getBytes(StandardCharsets.UTF_8);
        assertThat(TextDecoder.decode(utf8, "euc-kr", false, problems)).isEqualTo("日本");
        assertThat(problems).containsExactly(ParseProblem.UNDECODABLE_CHARSET);
    }

    @Test
    void aCharacterCutByTheFetchLimitIsDropped() {
        byte[] cut = "ab日".getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(cut, cut.length - 1);
        assertThat(TextDecoder.decode(truncated, "utf-8", true, problems)).isEqualTo("ab");
        assertThat(problems).isEmpty();
    }

    @Test
    void headerBytes() {
        byte[] latin1 = "Grüße".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TextDecoder.decodeHeader(latin1, 0, latin1.length, null, problems)).isEqualTo("Grüße");
        assertThat(problems).containsExactly(ParseProblem.EIGHT_BIT_HEADER);
    }
}
