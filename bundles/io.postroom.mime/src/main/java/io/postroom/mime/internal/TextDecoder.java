package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Bytes to text, never failing: the declared charset first (strictly), then UTF-8, then a fallback
 * or replacement characters, each step flagged.
 */
public final class TextDecoder {
    private TextDecoder() {
    }

    /**
     * Decodes text of a body part.
     *
     * @param truncated the bytes were cut at a limit: an incomplete character at the end is dropped
     */
    public static String decode(byte[] data, String declaredCharset, boolean truncated, Set<ParseProblem> problems) {
        return decode(data, 0, data.length, declaredCharset, Charsets.WINDOWS_1252, truncated, problems,
                ParseProblem.EIGHT_BIT_TEXT);
    }

    /**
     * Decodes a header value's bytes: ASCII as is, else UTF-8 (RFC 6532), else the fallback charset
     * (flagged {@link ParseProblem#EIGHT_BIT_HEADER}).
     */
    public static String decodeHeader(byte[] data, int offset, int length, Charset fallback, Set<ParseProblem> problems) {
        if (isAscii(data, offset, length)) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
        String utf8 = strict(data, offset, length, StandardCharsets.UTF_8, false);
        if (utf8 != null) {
            return utf8;
        }
        problems.add(ParseProblem.EIGHT_BIT_HEADER);
        return lenient(data, offset, length, fallback == null ? Charsets.WINDOWS_1252 : fallback);
    }

    /**
     * Decodes bytes whose charset is declared by a label (null when none was declared).
     *
     * @param undeclared8bit the problem to flag when 8-bit bytes come without a charset
     */
    public static String decode(byte[] data, int offset, int length, String declaredCharset, Charset fallback,
                                boolean truncated, Set<ParseProblem> problems, ParseProblem undeclared8bit) {
        if (length == 0) {
            return "";
        }
        Charset fb = fallback == null ? Charsets.WINDOWS_1252 : fallback;
        Optional<Charset> declared = Charsets.lookup(declaredCharset);
        boolean asciiLabel = Charsets.isAsciiLabel(declaredCharset);
        if (declared.isEmpty() && !asciiLabel) {
            problems.add(ParseProblem.UNKNOWN_CHARSET);
        }
        if (asciiLabel || declared.isEmpty()) {
            if (isAscii(data, offset, length)) {
                return new String(data, offset, length, StandardCharsets.ISO_8859_1);
            }
            if (asciiLabel) {
                problems.add(undeclared8bit);
            }
            String utf8 = strict(data, offset, length, StandardCharsets.UTF_8, truncated);
            return utf8 != null ? utf8 : lenient(data, offset, length, fb);
        }
        Charset cs = declared.get();
        if (Charsets.isAsciiCompatible(cs) && isAscii(data, offset, length)) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
        String text = strict(data, offset, length, cs, truncated);
        if (text != null) {
            return text;
        }
        problems.add(ParseProblem.UNDECODABLE_CHARSET);
        if (cs != StandardCharsets.UTF_8) {
            String utf8 = strict(data, offset, length, StandardCharsets.UTF_8, truncated);
            if (utf8 != null) {
                return utf8;
            }
        }
        return lenient(data, offset, length, cs);
    }

    public static boolean isAscii(byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (data[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes with replacement characters for invalid input. */
    public static String lenient(byte[] data, int offset, int length, Charset cs) {
        try {
            CharsetDecoder decoder = cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            return decoder.decode(ByteBuffer.wrap(data, offset, length)).toString();
        } catch (Exception e) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** Decodes strictly; null when the bytes are invalid in the charset. */
    public static String strict(byte[] data, int offset, int length, Charset cs, boolean allowIncompleteEnd) {
        if (length > 0 && replacesWithFffd(cs)) {
            // The JDK's replacing decode is much faster (intrinsics, no buffer growing). Without a
            // replacement character in its result nothing was malformed or unmappable, so the strict
            // decode would give the same text; otherwise decide strictly below.
            String text;
            try {
                text = new String(data, offset, length, cs);
            } catch (RuntimeException e) {
                text = null;
            }
            if (text != null && text.indexOf('\uFFFD') < 0) {
                return text;
            }
        }
        CharsetDecoder decoder = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data, offset, length);
        CharBuffer out = CharBuffer.allocate(Math.max(16, (int) (length * (double) decoder.averageCharsPerByte()) + 16));
        try {
            while (true) {
                CoderResult result = decoder.decode(in, out, !allowIncompleteEnd);
                if (result.isOverflow()) {
                    out = grow(out);
                    continue;
                }
                if (result.isError()) {
                    if (allowIncompleteEnd && result.isMalformed() && in.remaining() <= 6
                            && in.position() + result.length() >= in.limit()) {
                        break;
                    }
                    return null;
                }
                break;
            }
            if (!allowIncompleteEnd) {
                while (decoder.flush(out).isOverflow()) {
                    out = grow(out);
                }
            } else if (in.remaining() > 6) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        out.flip();
        return out.toString();
    }

    private static final java.util.Map<Charset, Boolean> FFFD = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the charset's decoder replaces bad input by U+FFFD (the JDK's do; a few others may not). */
    private static boolean replacesWithFffd(Charset cs) {
        Boolean known = FFFD.get(cs);
        if (known == null) {
            boolean yes;
            try {
                yes = "\uFFFD".equals(cs.newDecoder().replacement());
            } catch (RuntimeException e) {
                yes = false;
            }
            if (FFFD.size() < 256) {
                FFFD.put(cs, yes);
            }
            return yes;
        }
        return known;
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        bigger.put(out);
        return bigger;
    }
}
