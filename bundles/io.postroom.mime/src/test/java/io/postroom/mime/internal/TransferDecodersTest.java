package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.TransferEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransferDecodersTest {

    private static String decode(TransferEncoding encoding, String encoded) throws IOException {
        try (InputStream in = encoding.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "7bit|SEVEN_BIT", "7-BIT|SEVEN_BIT", "|SEVEN_BIT", "8bits|EIGHT_BIT", "binary|BINARY",
        "Quoted-Printable|QUOTED_PRINTABLE", "quoted printable|QUOTED_PRINTABLE", "quoted-printable;|QUOTED_PRINTABLE",
        "BASE64|BASE64", "\"base64\"|BASE64", "x-uuencode|UUENCODE", "plain|UNKNOWN", "text/html|UNKNOWN"})
    void lenientNames(String declared, TransferEncoding expected) {
        assertThat(TransferEncoding.of(declared)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void wellFormedNames() {
        assertThat(TransferEncoding.isWellFormed(null)).isTrue();
        assertThat(TransferEncoding.isWellFormed("Base64")).isTrue();
        assertThat(TransferEncoding.isWellFormed("7-bit")).isFalse();
        assertThat(TransferEncoding.isWellFormed("quoted-printable;")).isFalse();
        assertThat(TransferEncoding.isWellFormed("7vladi.Pimenovit")).isFalse();
    }

    @Test
    void base64RoundTripsInEveryChunkSize() throws IOException {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        String encoded = Base64.getMimeEncoder().encodeToString(data);
        try (InputStream in = TransferEncoding.BASE64.decode(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void base64IsLenient() throws IOException {
        assertThat(decode(TransferEncoding.BASE64, "SGVs bG8=\r\n")).isEqualTo("Hello");
        assertThat(decode(TransferEncoding.BASE64, "SGVsbG8")).isEqualTo("Hello"); // no padding
        assertThat(decode(TransferEncoding.BASE64, "SGVsbG8=IHdvcmxk")).isEqualTo("Hello world"); // two bodies
        Base64Decoder junk = new Base64Decoder(new ByteArrayInputStream("SGV*sbG8=".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(junk.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThat(junk.hadErrors()).isTrue();
    }

    @Test
    void quotedPrintable() throws IOException {
        assertThat(decode(TransferEncoding.QUOTED_PRINTABLE, "caf=C3=A9 =\r\nau lait=3d=3D")).isEqualTo("café au lait==");
        assertThat(decode(TransferEncoding.QUOTED_PRINTABLE, "soft=  \r\nbreak")).isEqualTo("softbreak");
        assertThat(decode(TransferEncoding.QUOTED_PRINTABLE, "trailing   \r\nspace")).isEqualTo("trailing\r\nspace");
        assertThat(decode(TransferEncoding.QUOTED_PRINTABLE, "lf=\nonly\n")).isEqualTo("lfonly\n");
        assertThat(decode(TransferEncoding.QUOTED_PRINTABLE, "cut at =E")).isEqualTo("cut at ");
        QuotedPrintableDecoder stray = new QuotedPrintableDecoder(
                new ByteArrayInputStream("1 = 2 =ZZ".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(stray.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("1 = 2 =ZZ");
        assertThat(stray.hadErrors()).isTrue();
    }

    @Test
    void uuencode() throws IOException {
        String encoded = "begin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\n";
        assertThat(decode(TransferEncoding.UUENCODE, encoded)).isEqualTo("Cat");
        UuDecoder none = new UuDecoder(new ByteArrayInputStream("no begin line\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(none.readAllBytes()).isEmpty();
        assertThat(none.hadErrors()).isTrue();
    }

    @Test
    void identityEncodingsReturnTheStream() {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertThat(TransferEncoding.EIGHT_BIT.decode(in)).isSameAs(in);
        assertThat(TransferEncoding.UNKNOWN.decode(in)).isSameAs(in);
    }
}
