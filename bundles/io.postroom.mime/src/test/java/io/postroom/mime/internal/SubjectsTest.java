package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.BaseSubject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Hello|hello",
        "Re: Hello|hello",
        "RE: re: Fwd: FW: Hello|hello",
        "Re[2]: Hello|hello",
        "Re(3):Hello|hello",
        "AW: WG: Hello|hello",
        "SV: VS: Antw: Hello|hello",
        "Odp: RV: Réf: TR: Hello|hello",
        "Відп: Отв: Hello|hello",
        "回复：Hello|hello",
        "[list] Re: [other] Hello|hello",
        "Re: [list]|[list]",
        "Hello (fwd)|hello",
        "[Fwd: Re: Hello]|hello",
        "  Hello \t  world  |hello world",
        "Re:|''",
        "Regarding the offer|regarding the offer",
        "Fwdx: Hello|fwdx: hello"})
    void baseSubject(String subject, String base) {
        assertThat(BaseSubject.of(subject)).isEqualTo(base);
    }

    @org.junit.jupiter.api.Test
    void nullIsEmpty() {
        assertThat(BaseSubject.of(null)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void thousandsOfPrefixesAndTrailers() {
        String subject = "Re: [list] ".repeat(20_000) + "Hello" + " (fwd)".repeat(10_000);
        assertThat(BaseSubject.of(subject)).isEqualTo("hello");
    }
}
