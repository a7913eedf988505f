package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Content-Type and Content-Disposition values (RFC 2045, 2183) with parameters, read leniently:
 * unquoted values with spaces, RFC 2231 continuations and charsets, RFC 2047 encoded words in
 * file names, duplicate parameters (the first wins).
 */
public final class MimeFields {

    /** A parsed {@code token/token; name=value} or {@code token; name=value} value. */
    public record Value(String type, String subtype, Map<String, String> parameters) {
    }

    private MimeFields() {
    }

    /**
     * Reads a Content-Type. Null or unreadable gives null type (the caller picks the default);
     * a value without a subtype is flagged {@link ParseProblem#BROKEN_MIME}.
     */
    public static Value parseContentType(String value, Set<ParseProblem> problems) {
        if (value == null || value.isBlank()) {
            return new Value(null, null, Map.of());
        }
        int semicolon = indexOutsideQuotes(value, ';', 0);
        String mediaType = stripComments(semicolon < 0 ? value : value.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        Map<String, String> params = parameters(value, semicolon, problems);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            problems.add(ParseProblem.BROKEN_MIME);
            return new Value(null, null, params);
        }
        String type = mediaType.substring(0, slash).strip();
        String subtype = mediaType.substring(slash + 1).strip();
        int space = subtype.indexOf(' ');
        if (space > 0) {
            subtype = subtype.substring(0, space);
        }
        if (!isToken(type) || !isToken(subtype)) {
            problems.add(ParseProblem.BROKEN_MIME);
            return new Value(null, null, params);
        }
        return new Value(type, subtype, params);
    }

    /** Reads a Content-Disposition; the type is null when absent or not a token. */
    public static Value parseDisposition(String value, Set<ParseProblem> problems) {
        if (value == null || value.isBlank()) {
            return new Value(null, null, Map.of());
        }
        int semicolon = indexOutsideQuotes(value, ';', 0);
        String type = stripComments(semicolon < 0 ? value : value.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        Map<String, String> params = parameters(value, semicolon, problems);
        if (!isToken(type)) {
            problems.add(ParseProblem.MALFORMED_HEADER);
            type = null;
        }
        return new Value(type, null, params);
    }

    private static Map<String, String> parameters(String value, int semicolon, Set<ParseProblem> problems) {
        if (semicolon < 0) {
            return Map.of();
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> extended = new LinkedHashMap<>(); // name -> index -> {value, "*" or ""}
        int pos = semicolon + 1;
        int n = value.length();
        while (pos < n) {
            int next = indexOutsideQuotes(value, ';', pos);
            if (next < 0) {
                next = n;
            }
            String param = value.substring(pos, next);
            pos = next + 1;
            int eq = param.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = param.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String raw = param.substring(eq + 1).strip();
            String val = unquote(raw);
            if (name.isEmpty()) {
                continue;
            }
            int star = name.indexOf('*');
            if (star > 0) {
                String base = name.substring(0, star);
                String rest = name.substring(star + 1);
                boolean encoded = rest.endsWith("*") || rest.isEmpty();
                String index = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
                int i;
                try {
                    i = index.isEmpty() ? 0 : Integer.parseInt(index);
                } catch (NumberFormatException e) {
                    problems.add(ParseProblem.MALFORMED_HEADER);
                    continue;
                }
                if (i < 0 || i > 999) {
                    continue;
                }
                extended.computeIfAbsent(base, k -> new TreeMap<>()).putIfAbsent(i, new String[] {val, encoded ? "*" : ""});
            } else {
                plain.putIfAbsent(name, val);
            }
        }
        Map<String, String> result = new LinkedHashMap<>(plain);
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : extended.entrySet()) {
            result.put(e.getKey(), rfc2231(e.getValue(), problems));
        }
        for (String key : List.of("name", "filename")) {
            String v = result.get(key);
            if (v != null && v.contains("=?")) {
                result.put(key, EncodedWords.decode(v, problems).strip());
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** Joins RFC 2231 segments and decodes their charset. */
    private static String rfc2231(TreeMap<Integer, String[]> segments, Set<ParseProblem> problems) {
        String charset = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] segment : segments.values()) {
            String v = segment[0];
            boolean encoded = !segment[1].isEmpty();
            if (encoded && first) {
                int q1 = v.indexOf('\'');
                int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    charset = v.substring(0, q1);
                    v = v.substring(q2 + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(v, bytes);
            } else {
                bytes.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] b = bytes.toByteArray();
        if (charset == null || charset.isBlank()) {
            return TextDecoder.decode(b, 0, b.length, "utf-8", Charsets.WINDOWS_1252, false, problems,
                    ParseProblem.UNDECODABLE_CHARSET);
        }
        return TextDecoder.decode(b, 0, b.length, charset, Charsets.WINDOWS_1252, false, problems,
                ParseProblem.UNDECODABLE_CHARSET);
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length() && EncodedWords.hex(v.charAt(i + 1)) >= 0
                    && EncodedWords.hex(v.charAt(i + 2)) >= 0) {
                out.write(EncodedWords.hex(v.charAt(i + 1)) << 4 | EncodedWords.hex(v.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Removes surrounding quotes and backslash escapes; an unquoted value is only stripped. */
    static String unquote(String raw) {
        if (raw.length() >= 1 && raw.charAt(0) == '"') {
            StringBuilder sb = new StringBuilder(raw.length());
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    sb.append(raw.charAt(++i));
                } else if (c == '"') {
                    break;
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        return raw.strip();
    }

    static int indexOutsideQuotes(String s, char target, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == target && !quoted) {
                return i;
            }
        }
        return -1;
    }

    static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isToken(String s) {
        if (s.isEmpty() || s.length() > 127) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Content-ID / message id without angle brackets, white space and comments. */
    public static String stripAngle(String value) {
        if (value == null) {
            return null;
        }
        String s = stripComments(value).strip();
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt + 1);
            s = gt < 0 ? s.substring(lt + 1) : s.substring(lt + 1, gt);
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** The value split into white-space separated words (used for message id lists without brackets). */
    static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        for (String w : s.split("[\\s,]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }
}
