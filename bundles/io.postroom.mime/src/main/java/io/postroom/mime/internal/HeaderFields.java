package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fields of a raw header block, unfolded, with their values decoded from bytes (ASCII, else
 * UTF-8, else a fallback charset) but not yet RFC 2047 decoded. Lenient: an mbox {@code From } line
 * is skipped, a line without a colon is joined to the previous field, line ends may be LF.
 */
public final class HeaderFields {

    /** One field: lower-case name and unfolded value (leading white space removed). */
    public record Field(String name, String value) {
    }

    private final List<Field> fields;
    private final String fingerprint;
    private final Set<ParseProblem> problems;

    private HeaderFields(List<Field> fields, String fingerprint, Set<ParseProblem> problems) {
        this.fields = fields;
        this.fingerprint = fingerprint;
        this.problems = problems;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Lower-case hex SHA-256 of the header lines, each ended by CRLF; null when not asked for. */
    public String fingerprint() {
        return fingerprint;
    }

    public Set<ParseProblem> problems() {
        return problems;
    }

    /** The first value of a field (name in lower case); null when absent. */
    public String first(String name) {
        for (Field f : fields) {
            if (f.name.equals(name)) {
                return f.value;
            }
        }
        return null;
    }

    /** How many times a field occurs. */
    public int count(String name) {
        int n = 0;
        for (Field f : fields) {
            if (f.name.equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** All values of a field, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name.equals(name)) {
                values.add(f.value);
            }
        }
        return values;
    }

    /**
     * Splits a header block.
     *
     * @param fallbackCharset charset for 8-bit bytes that are not UTF-8; null to take the charset
     *                        parameter of the block's own Content-Type, else windows-1252
     * @param maxValueChars   longer values are cut ({@link ParseProblem#TRUNCATED_HEADER})
     */
    public static HeaderFields parse(byte[] block, int offset, int length, Charset fallbackCharset, int maxValueChars) {
        return parse(block, offset, length, fallbackCharset, maxValueChars, true);
    }

    /** As {@link #parse(byte[], int, int, Charset, int)}; without a fingerprint (body parts need none) when asked. */
    public static HeaderFields parse(byte[] block, int offset, int length, Charset fallbackCharset, int maxValueChars,
                                     boolean withFingerprint) {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        MessageDigest digest = withFingerprint ? sha256() : null;
        List<String> names = new ArrayList<>();
        List<ByteArrayOutputStream> values = new ArrayList<>();
        ByteArrayOutputStream current = null;
        int end = offset + length;
        int pos = offset;
        boolean firstLine = true;
        while (pos < end) {
            int lf = indexOf(block, (byte) '\n', pos, end);
            int lineEnd = lf < 0 ? end : lf;
            int contentEnd = lineEnd > pos && block[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            int next = lf < 0 ? end : lf + 1;
            if (contentEnd == pos) {
                break; // the blank line that ends the header
            }
            if (firstLine && isMboxLine(block, pos, contentEnd)) {
                firstLine = false;
                pos = next;
                continue;
            }
            firstLine = false;
            if (digest != null) {
                digest.update(block, pos, contentEnd - pos);
                digest.update(CRLF);
            }
            byte first = block[pos];
            if (first == ' ' || first == '\t') {
                if (current == null) {
                    problems.add(ParseProblem.MALFORMED_HEADER); // continuation without a field
                } else {
                    current.write(block, pos, contentEnd - pos);
                }
                pos = next;
                continue;
            }
            int colon = indexOf(block, (byte) ':', pos, contentEnd);
            if (colon < 0) {
                problems.add(ParseProblem.MALFORMED_HEADER);
                if (current != null) {
                    current.write(' ');
                    current.write(block, pos, contentEnd - pos);
                }
                pos = next;
                continue;
            }
            String name = new String(block, pos, colon - pos, StandardCharsets.ISO_8859_1).strip();
            if (!validName(name)) {
                problems.add(ParseProblem.MALFORMED_HEADER);
            }
            names.add(name.toLowerCase(Locale.ROOT));
            current = new ByteArrayOutputStream(Math.max(16, contentEnd - colon));
            current.write(block, colon + 1, contentEnd - colon - 1);
            values.add(current);
            pos = next;
        }
        Charset fallback = fallbackCharset;
        if (fallback == null) {
            fallback = Charsets.WINDOWS_1252;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals("content-type")) {
                    String ct = values.get(i).toString(StandardCharsets.ISO_8859_1);
                    String charset = MimeFields.parseContentType(ct, EnumSet.noneOf(ParseProblem.class)).parameters().get("charset");
                    Charset cs = Charsets.lookup(charset).orElse(null);
                    if (cs != null && Charsets.isAsciiCompatible(cs) && cs != StandardCharsets.UTF_8) {
                        fallback = cs;
                    }
                    break;
                }
            }
        }
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            byte[] v = values.get(i).toByteArray();
            String value = TextDecoder.decodeHeader(v, 0, v.length, fallback, problems);
            value = clean(value, problems).strip();
            if (value.length() > maxValueChars) {
                value = value.substring(0, maxValueChars);
                problems.add(ParseProblem.TRUNCATED_HEADER);
            }
            fields.add(new Field(names.get(i), value));
        }
        return new HeaderFields(List.copyOf(fields), digest == null ? null : HexFormat.of().formatHex(digest.digest()),
                problems);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Unfolded value: CR, LF and TAB become spaces; NUL and other controls are removed. */
    static String clean(String value, Set<ParseProblem> problems) {
        boolean needed = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                needed = true;
                break;
            }
        }
        if (!needed) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                sb.append(' ');
            } else if (c < 0x20 || c == 0x7F) {
                problems.add(ParseProblem.CONTROL_CHARACTERS);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** An mbox separator: {@code From sender date}, unlike a field {@code From : ...}. */
    private static boolean isMboxLine(byte[] b, int from, int to) {
        String prefix = "From ";
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        for (int i = from + prefix.length(); i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return b[i] != ':';
            }
        }
        return false;
    }

    static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
