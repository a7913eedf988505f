package io.postroom.rest.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of an attachment download. Its file name and media type come from a mail someone
 * else wrote, so nothing of them reaches a header unchecked: the name is encoded as RFC 6266 /
 * RFC 5987 ({@code filename*=UTF-8''...}) with a plain ASCII fallback, the media type is reduced to
 * a well-formed {@code type/subtype} (and charset), and the content is sandboxed so that an HTML
 * attachment opened in a browser cannot run script in the API's origin.
 */
final class Downloads {
    /** No script, no plugins, no forms, an opaque origin; only inline styles and data: images render. */
    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    static final String FALLBACK_TYPE = "application/octet-stream";
    /** File names are cut to this many characters (code points), keeping the extension, so that the header stays small. */
    static final int MAX_NAME = 150;

    private Downloads() {
    }

    static Map<String, String> headers(String fileName, int index) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Disposition", contentDisposition(fileName, index));
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        return headers;
    }

    /**
     * {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>}. Control
     * characters (CR and LF among them) are dropped and path separators replaced before encoding;
     * the fallback has no quote, backslash, percent sign or non-ASCII character. A missing name
     * becomes {@code attachment-<index>}.
     */
    static String contentDisposition(String fileName, int index) {
        String name = cleanName(fileName);
        if (name.isEmpty()) {
            name = "attachment-" + index;
        }
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + percentEncode(name);
    }

    /** The name as it may be offered: no control characters, no path, not too long, trimmed. */
    static String cleanName(String fileName) {
        if (fileName == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fileName.length(); ) {
            int cp = fileName.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                continue; // CR, LF, NUL, bidi overrides (U+202E makes "gpj.exe" look like "exe.jpg")
            }
            out.appendCodePoint(cp == '/' || cp == '\\' ? '_' : cp);
        }
        String name = out.toString().strip();
        while (name.startsWith(".")) {
            name = name.substring(1); // no hidden files, no ".."
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
            int keep = MAX_NAME - extension.codePointCount(0, extension.length());
            name = name.substring(0, name.offsetByCodePoints(0, keep)) + extension;
        }
        return name;
    }

    private static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return out.toString();
    }

    /** RFC 5987 {@code value-chars}: attr-char as it is, every other UTF-8 byte as {@code %XX}. */
    static String percentEncode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isAttrChar(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * The declared media type when it is a well-formed {@code type/subtype} (lower case), with its
     * charset parameter when that is a plain token; {@value #FALLBACK_TYPE} otherwise.
     */
    static String mediaType(String declared) {
        if (declared == null) {
            return FALLBACK_TYPE;
        }
        String[] parts = declared.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1 || !isToken(type.substring(0, slash)) || !isToken(type.substring(slash + 1))) {
            return FALLBACK_TYPE;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(eq + 1).strip();
                if (charset.length() > 1 && charset.startsWith("\"") && charset.endsWith("\"")) {
                    charset = charset.substring(1, charset.length() - 1);
                }
                if (isToken(charset) && charset.length() <= 40) {
                    return type + ";charset=" + charset.toLowerCase(Locale.ROOT);
                }
            }
        }
        return type;
    }

    /** RFC 7230 token: visible ASCII except separators. */
    private static boolean isToken(String text) {
        if (text.isEmpty() || text.length() > 127) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
