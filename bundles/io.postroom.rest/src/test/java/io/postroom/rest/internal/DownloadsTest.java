package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownloadsTest {

    private static String decodedName(String disposition) {
        String encoded = disposition.substring(disposition.indexOf("filename*=UTF-8''") + 17);
        return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String fallback(String disposition) {
        return disposition.substring(disposition.indexOf("filename=\"") + 10, disposition.indexOf("\"; filename*="));
    }

    @Test
    void plainNameIsKeptInBothForms() {
        assertThat(Downloads.contentDisposition("report-2026.pdf", 1))
                .isEqualTo("attachment; filename=\"report-2026.pdf\"; filename*=UTF-8''report-2026.pdf");
    }

    @Test
    void nonAsciiIsPercentEncodedAsUtf8WithAnAsciiFallback() {
        String d = Downloads.contentDisposition("Звіт за листопад €.xlsx", 1);
        assertThat(d).isEqualTo("attachment; filename=\"____ __ ________ _.xlsx\"; "
                + "filename*=UTF-8''%D0%97%D0%B2%D1%96%D1%82%20%D0%B7%D0%B0%20%D0%BB%D0%B8%D1%81%D1%82%D0%BE%D0%BF%D0%B0%D0%B4%20%E2%82%AC.xlsx");
        assertThat(decodedName(d)).isEqualTo("Звіт за листопад €.xlsx");
    }

    @Test
    void quotesBackslashesAndLineBreaksNeverReachTheHeader() {
        String d = Downloads.contentDisposition("a\"b\\c\r\nSet-Cookie: x=1\u0000\t%41.txt", 1);
        assertThat(d).doesNotContain("\r", "\n", "\u0000", "\t");
        assertThat(fallback(d)).isEqualTo("a_b_cSet-Cookie: x=1_41.txt");
        assertThat(decodedName(d)).isEqualTo("a\"b_cSet-Cookie: x=1%41.txt");
        assertThat(d.chars().filter(c -> c == '"').count()).isEqualTo(2);
    }

    @Test
    void pathsHiddenNamesAndBidiTricksAreDefused() {
        assertThat(decodedName(Downloads.contentDisposition("../../etc/passwd", 1))).isEqualTo("_.._etc_passwd");
        assertThat(decodedName(Downloads.contentDisposition("..\\..\\boot.ini", 1))).isEqualTo("_.._boot.ini");
        assertThat(decodedName(Downloads.contentDisposition(".bashrc", 1))).isEqualTo("bashrc");
        // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u202Efdp.exe" as "invoiceexe.pdf"
        assertThat(decodedName(Downloads.contentDisposition("invoice\u202Efdp.exe", 1))).isEqualTo("invoicefdp.exe");
    }

    @Test
    void missingOrEmptyNameGetsOneFromTheIndex() {
        assertThat(Downloads.contentDisposition(null, 3)).isEqualTo("attachment; filename=\"attachment-3\"; filename*=UTF-8''attachment-3");
        assertThat(Downloads.contentDisposition(" \r\n ", 2)).contains("filename=\"attachment-2\"");
    }

    @Test
    void longNamesAreCut() {
        String d = Downloads.contentDisposition("€".repeat(10_000) + ".pdf", 1);
        assertThat(decodedName(d)).hasSize(Downloads.MAX_NAME).endsWith("€€.pdf");
        assertThat(d.length()).isLessThan(2000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "application/pdf|application/pdf",
            "Application/PDF; name=\"x.pdf\"|application/pdf",
            "text/html; charset=\"UTF-8\"|text/html;charset=utf-8",
            "text/plain; charset=iso-8859-1; format=flowed|text/plain;charset=iso-8859-1",
            "text/plain; charset=\"bad charset\"|text/plain",
            "image/svg+xml|image/svg+xml",
            "pdf|application/octet-stream",
            "/pdf|application/octet-stream",
            "application/|application/octet-stream",
            "text/ht ml|application/octet-stream",
            "|application/octet-stream",
            "NULL|application/octet-stream"})
    void mediaTypeIsWellFormedOrOctetStream(String declared, String expected) {
        assertThat(Downloads.mediaType(declared)).isEqualTo(expected);
    }

    @Test
    void lineBreaksInTheMediaTypeGiveOctetStream() {
        assertThat(Downloads.mediaType("text/html\r\nSet-Cookie: x=1")).isEqualTo(Downloads.FALLBACK_TYPE);
        assertThat(Downloads.mediaType("text/html; charset=utf-8\r\nX: y")).isEqualTo("text/html");
    }

    @Test
    void contentIsSandboxed() {
        assertThat(Downloads.headers("x.html", 1))
                .containsEntry("Content-Security-Policy", Downloads.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(Downloads.CONTENT_SECURITY_POLICY).startsWith("sandbox;").contains("default-src 'none'").doesNotContain("allow-scripts");
    }
}
