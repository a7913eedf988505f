package io.postroom.testing.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The encodings generated mail needs: RFC 2047 words, RFC 2231 parameters, quoted-printable, folding. */
final class MimeText {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SOFT_BREAK = {'=', '\r', '\n'};

    private MimeText() {
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static boolean canEncode(Charset charset, String text) {
        return charset.newEncoder().canEncode(text);
    }

    /**
     * RFC 2047 encoded words for {@code text}, each at most 75 characters, never splitting a
     * character (each word is encoded on its own, so ISO-2022-JP words return to ASCII).
     */
    static List<String> encodedWords(String text, Charset charset, boolean base64) {
        List<String> words = new ArrayList<>();
        String prefix = "=?" + charset.name() + "?" + (base64 ? "B" : "Q") + "?";
        int start = 0;
        while (start < text.length()) {
            int end = start;
            String best = null;
            int bestEnd = start;
            while (end < text.length()) {
                end = text.offsetByCodePoints(end, 1);
                String word = prefix + encodeWord(text.substring(start, end), charset, base64) + "?=";
                if (word.length() > 75 && best != null) {
                    break;
                }
                best = word;
                bestEnd = end;
                if (word.length() > 75) {
                    break;
                }
            }
            words.add(best);
            start = bestEnd;
        }
        return words;
    }

    private static String encodeWord(String chunk, Charset charset, boolean base64) {
        byte[] bytes = encode(chunk, charset);
        if (base64) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        StringBuilder q = new StringBuilder();
        for (byte raw : bytes) {
            int b = raw & 0xff;
            if (b == ' ') {
                q.append('_');
            } else if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                    || b == '!' || b == '*' || b == '+' || b == '-' || b == '/') {
                q.append((char) b);
            } else {
                q.append('=').append((char) HEX[b >> 4]).append((char) HEX[b & 0xf]);
            }
        }
        return q.toString();
    }

    /** The text in the charset; characters it lacks become its replacement ('?'). */
    static byte[] encode(String text, Charset charset) {
        return text.getBytes(charset);
    }

    /** A display name as a phrase: atom(s), quoted string, or encoded words. */
    static String phrase(String name, Charset charset, boolean base64) {
        if (!isAscii(name)) {
            return String.join(" ", encodedWords(name, charset, base64));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean atext = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == ' ' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
            if (!atext) {
                return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return name;
    }

    /** A mailbox: {@code phrase <address>} or the bare address. */
    static String mailbox(Person person, Charset charset, boolean base64) {
        if (person.name() == null) {
            return person.address();
        }
        return phrase(person.name(), charset, base64) + " <" + person.address() + ">";
    }

    /** RFC 2231 extended value: {@code UTF-8''%E2%82%AC...}. */
    static String rfc2231(String value) {
        StringBuilder out = new StringBuilder("UTF-8''");
        for (byte raw : value.getBytes(StandardCharsets.UTF_8)) {
            int b = raw & 0xff;
            if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-' || b == '_') {
                out.append((char) b);
            } else {
                out.append('%').append((char) HEX[b >> 4]).append((char) HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** Writes {@code Name: value} folded at spaces near 78 columns, ending with CRLF. */
    static void header(OutputStream out, String name, String value) throws IOException {
        StringBuilder line = new StringBuilder(name).append(':');
        int lineStart = 0;
        String[] tokens = value.split(" ", -1);
        for (String token : tokens) {
            if (line.length() - lineStart + 1 + token.length() > 78 && line.length() - lineStart > name.length() + 1) {
                line.append("\r\n");
                lineStart = line.length();
            }
            line.append(' ').append(token);
        }
        line.append("\r\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void crlf(OutputStream out) throws IOException {
        out.write(CRLF);
    }

    static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Quoted-printable (RFC 2045 6.7) of text whose hard line breaks are CRLF: soft breaks keep
     * lines within 76 characters; white space before a line break and '=' are encoded.
     */
    static void quotedPrintable(byte[] text, OutputStream out) throws IOException {
        byte[] line = new byte[80];
        int length = 0;
        int i = 0;
        while (i <= text.length) {
            boolean end = i == text.length;
            boolean hardBreak = !end && text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n';
            if (end || hardBreak) {
                if (length > 0 && (line[length - 1] == ' ' || line[length - 1] == '\t')) {
                    int last = line[--length];
                    if (length + 3 > 75) {
                        out.write(line, 0, length);
                        out.write(SOFT_BREAK);
                        length = 0;
                    }
                    line[length++] = '=';
                    line[length++] = HEX[last >> 4];
                    line[length++] = HEX[last & 0xf];
                }
                out.write(line, 0, length);
                out.write(CRLF);
                length = 0;
                if (end) {
                    return;
                }
                i += 2;
                continue;
            }
            int b = text[i++] & 0xff;
            boolean literal = b >= 33 && b <= 126 && b != '=' || b == ' ' || b == '\t';
            int needed = literal ? 1 : 3;
            if (length + needed > 75) {
                out.write(line, 0, length);
                out.write(SOFT_BREAK);
                length = 0;
            }
            if (literal) {
                line[length++] = (byte) b;
            } else {
                line[length++] = '=';
                line[length++] = HEX[b >> 4];
                line[length++] = HEX[b & 0xf];
            }
        }
    }

    /** Base64 with 76-character CRLF lines. */
    static void base64(byte[] data, OutputStream out) throws IOException {
        out.write(Base64.getMimeEncoder().encode(data));
        crlf(out);
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
