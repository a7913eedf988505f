package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * RFC 2047 encoded words, decoded leniently as mail clients do: also inside words and quoted
 * strings, with unknown charsets (UTF-8 or windows-1252 then), bad base64 padding and a missing
 * closing {@code ?=}. Adjacent encoded words in the same charset are joined before decoding, so a
 * character split across two words survives; white space between encoded words is dropped.
 */
public final class EncodedWords {
    private static final int MAX_CHARSET = 64;

    private EncodedWords() {
    }

    public static String decode(String value, Set<ParseProblem> problems) {
        if (value == null || value.indexOf("=?") < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingCharset = null;
        StringBuilder gap = new StringBuilder(); // literal text since the last encoded word
        int i = 0;
        int n = value.length();
        while (i < n) {
            int start = value.indexOf("=?", i);
            Word word = start < 0 ? null : parse(value, start);
            if (word == null) {
                int literalEnd = start < 0 ? n : start + 2;
                gap.append(value, i, literalEnd);
                i = literalEnd;
                continue;
            }
            gap.append(value, i, start);
            boolean adjacent = pendingCharset != null && gap.toString().isBlank();
            if (adjacent && word.charset.equalsIgnoreCase(pendingCharset)) {
                pending.writeBytes(word.bytes);
            } else {
                if (pendingCharset != null) {
                    flush(out, pending, pendingCharset, problems);
                }
                if (!adjacent) {
                    out.append(gap);
                }
                pendingCharset = word.charset;
                pending.writeBytes(word.bytes);
            }
            gap.setLength(0);
            if (word.broken) {
                problems.add(ParseProblem.BAD_ENCODED_WORD);
            }
            i = word.end;
        }
        if (pendingCharset != null) {
            flush(out, pending, pendingCharset, problems);
        }
        out.append(gap);
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset, Set<ParseProblem> problems) {
        byte[] bytes = pending.toByteArray();
        pending.reset();
        out.append(TextDecoder.decode(bytes, 0, bytes.length, charset, Charsets.WINDOWS_1252, false, problems,
                ParseProblem.BAD_ENCODED_WORD));
    }

    private record Word(String charset, byte[] bytes, int end, boolean broken) {
    }

    /** Parses {@code =?charset?X?text?=} at {@code start}; null when it is not an encoded word. */
    private static Word parse(String s, int start) {
        int n = s.length();
        int q1 = start + 2;
        int q2 = q1;
        while (q2 < n && q2 - q1 <= MAX_CHARSET) {
            char c = s.charAt(q2);
            if (c == '?') {
                break;
            }
            if (c <= ' ' || c >= 0x7F || c == '=' || c == '"' || c == '(' || c == ')' || c == ',') {
                return null;
            }
            q2++;
        }
        if (q2 >= n || s.charAt(q2) != '?' || q2 == q1 || q2 + 2 >= n || s.charAt(q2 + 2) != '?') {
            return null;
        }
        char encoding = Character.toUpperCase(s.charAt(q2 + 1));
        if (encoding != 'B' && encoding != 'Q') {
            return null;
        }
        String charset = s.substring(q1, q2);
        int star = charset.indexOf('*');
        if (star > 0) {
            charset = charset.substring(0, star); // RFC 2231 language suffix
        }
        int textStart = q2 + 3;
        int close = s.indexOf("?=", textStart);
        int next = s.indexOf("=?", textStart);
        if (next >= 0 && close >= 0 && next == close - 1) {
            next = s.indexOf("=?", close + 2); // "...=?=": base64 padding before the closing "?="
        }
        boolean broken = false;
        int textEnd;
        int end;
        if (close >= 0 && (next < 0 || close <= next)) {
            textEnd = close;
            end = close + 2;
        } else {
            // no closing "?=" before the next word: end at white space
            broken = true;
            textEnd = textStart;
            while (textEnd < n && !Character.isWhitespace(s.charAt(textEnd))
                    && (next < 0 || textEnd < next)) {
                textEnd++;
            }
            end = textEnd;
        }
        String text = s.substring(textStart, textEnd);
        byte[] bytes;
        if (encoding == 'B') {
            LenientDecoder.Decoded r = Base64Decoder.decode(text);
            bytes = r.bytes();
            broken |= r.hadErrors();
        } else {
            bytes = decodeQ(text);
        }
        return new Word(charset, bytes, end, broken);
    }

    private static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                out.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
