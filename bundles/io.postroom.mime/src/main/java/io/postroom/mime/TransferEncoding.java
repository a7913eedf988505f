package io.postroom.mime;

import io.postroom.mime.internal.Base64Decoder;
import io.postroom.mime.internal.QuotedPrintableDecoder;
import io.postroom.mime.internal.UuDecoder;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/** Content-Transfer-Encoding (RFC 2045 §6), read leniently, with streaming decoders. */
public enum TransferEncoding {
    SEVEN_BIT("7bit"),
    EIGHT_BIT("8bit"),
    BINARY("binary"),
    QUOTED_PRINTABLE("quoted-printable"),
    BASE64("base64"),
    UUENCODE("x-uuencode"),
    /** Anything else: the body is taken as it is. */
    UNKNOWN(null);

    private final String token;

    TransferEncoding(String token) {
        this.token = token;
    }

    /** The canonical token ({@code quoted-printable}); null for {@link #UNKNOWN}. */
    public String token() {
        return token;
    }

    /**
     * Reads a declared encoding: case and white space ignored, common misspellings accepted
     * ({@code 7-bit}, {@code 8bits}, {@code quoted printable}, {@code base64;}). Null or blank is
     * {@link #SEVEN_BIT}, the RFC 2045 default.
     */
    public static TransferEncoding of(String declared) {
        if (declared == null) {
            return SEVEN_BIT;
        }
        String s = declared.strip().toLowerCase(Locale.ROOT);
        int semicolon = s.indexOf(';');
        if (semicolon >= 0) {
            s = s.substring(0, semicolon).strip();
        }
        if (s.length() > 1 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        s = s.replace('_', '-').replace(' ', '-');
        return switch (s) {
            case "", "7bit", "7-bit", "7bits", "7-bits", "us-ascii", "ascii" -> SEVEN_BIT;
            case "8bit", "8-bit", "8bits", "8-bits" -> EIGHT_BIT;
            case "binary" -> BINARY;
            case "quoted-printable", "quotedprintable", "qp", "quoted-printables" -> QUOTED_PRINTABLE;
            case "base64", "base-64" -> BASE64;
            case "x-uuencode", "uuencode", "x-uue", "uue", "x-uu", "uu" -> UUENCODE;
            default -> UNKNOWN;
        };
    }

    /** Whether the declared value is absent or exactly one of the RFC tokens (case-insensitive; x-uuencode or uuencode). */
    public static boolean isWellFormed(String declared) {
        if (declared == null || declared.isBlank()) {
            return true;
        }
        String s = declared.strip();
        TransferEncoding encoding = of(s);
        return encoding != UNKNOWN
                && (s.equalsIgnoreCase(encoding.token) || encoding == UUENCODE && s.equalsIgnoreCase("uuencode"));
    }

    /**
     * Wraps an encoded body in a decoder. Decoding is lenient: invalid characters are skipped,
     * never thrown; {@link #UNKNOWN} and the identity encodings return the stream itself.
     */
    public InputStream decode(InputStream encoded) {
        Objects.requireNonNull(encoded, "encoded");
        return switch (this) {
            case BASE64 -> new Base64Decoder(encoded);
            case QUOTED_PRINTABLE -> new QuotedPrintableDecoder(encoded);
            case UUENCODE -> new UuDecoder(encoded);
            default -> encoded;
        };
    }
}
