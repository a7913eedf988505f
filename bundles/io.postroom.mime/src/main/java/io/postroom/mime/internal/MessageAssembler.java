package io.postroom.mime.internal;

import io.postroom.mime.BaseSubject;
import io.postroom.mime.BodyPart;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.ParsedMessage;
import io.postroom.mime.TextPart;
import io.postroom.mime.TextSegment;
import io.postroom.mime.TextSelection;
import io.postroom.mime.TransferEncoding;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Entities;

/** Builds a {@link ParsedMessage} from headers, structure and the bytes of the selected text parts. */
final class MessageAssembler {
    private static final Pattern META_CHARSET = Pattern.compile(
            "(?i)<meta[^>]+charset\\s*=\\s*[\"']?\\s*([a-z0-9_:.+-]{1,40})");

    private final ParseOptions options;
    private final HtmlSanitizer sanitizer;

    MessageAssembler(ParseOptions options, HtmlSanitizer sanitizer) {
        this.options = options;
        this.sanitizer = sanitizer;
    }

    ParsedMessage assemble(MessageHeaders headers, BodyPart structure, Map<String, byte[]> textParts,
                           Set<ParseProblem> extra) {
        return assemble(headers, structure, TextPartSelector.select(structure, options), textParts, extra);
    }

    /** With the text parts fetched as {@code selection} says (its fetch limits). */
    ParsedMessage assemble(MessageHeaders headers, BodyPart structure, TextSelection selection,
                           Map<String, byte[]> textParts, Set<ParseProblem> extra) {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        problems.addAll(headers.problems());
        problems.addAll(selection.problems());
        problems.addAll(extra);
        List<String> texts = new ArrayList<>();
        List<Piece> pieces = new ArrayList<>();
        boolean anyHtml = false;
        for (TextSegment segment : selection.segments()) {
            String plain = segment.plain() == null ? null : decode(segment.plain(), textParts, problems);
            String html = segment.html() == null ? null : decode(segment.html(), textParts, problems);
            Document parsed = null;
            String segmentText;
            if (plain != null || html == null || html.isBlank()) {
                segmentText = trimLines(plain != null ? plain : HtmlText.toText(html));
            } else {
                // HTML only: one parse gives the text here and the sanitised HTML below
                parsed = Jsoup.parse(html);
                segmentText = trimLines(HtmlText.toText(parsed.body()));
            }
            if (!segmentText.isEmpty()) {
                texts.add(segmentText);
            }
            anyHtml |= html != null;
            pieces.add(new Piece(html, plain, parsed));
        }
        String html = null;
        boolean remoteBlocked = false;
        if (anyHtml && pieces.size() == 1) {
            // the common case, one HTML segment: its sanitised HTML as it is
            HtmlSanitizer.Result clean = sanitize(pieces.get(0));
            remoteBlocked = clean.remoteImagesBlocked();
            html = clean.html().strip();
        } else if (anyHtml) {
            StringBuilder out = new StringBuilder();
            for (Piece piece : pieces) {
                if (piece.html() != null) {
                    HtmlSanitizer.Result clean = sanitize(piece);
                    remoteBlocked |= clean.remoteImagesBlocked();
                    out.append("<div>").append(clean.html()).append("</div>");
                } else if (piece.plain() != null && !piece.plain().isBlank()) {
                    out.append("<div style=\"white-space: pre-wrap\">").append(Entities.escape(piece.plain()))
                            .append("</div>");
                }
            }
            html = out.toString().strip();
        }
        // one segment (most messages): its text as it is, without a copy
        String text = texts.size() == 1 ? texts.get(0) : String.join("\n\n", texts);
        return new ParsedMessage(headers, structure, text, html, selection.attachments(), problems,
                headers.fingerprint(), BaseSubject.of(headers.subject()), remoteBlocked);
    }

    private HtmlSanitizer.Result sanitize(Piece piece) {
        return piece.parsed() != null ? sanitizer.sanitize(piece.parsed()) : sanitizer.sanitize(piece.html());
    }

    /** One text segment: its decoded HTML and plain text (either may be null), and the HTML parsed once when needed. */
    private record Piece(String html, String plain, Document parsed) {
    }

    /** Transfer-decodes and charset-decodes one text part. */
    private String decode(TextPart part, Map<String, byte[]> textParts, Set<ParseProblem> problems) {
        BodyPart body = part.part();
        byte[] raw = textParts.get(part.partNumber());
        if (raw == null) {
            if (body.size() > 0) {
                problems.add(ParseProblem.TEXT_PART_MISSING);
            }
            return "";
        }
        boolean fetched = true; // raw is the caller's array, left as it came
        // a part of unknown size is fetched partially: as long as its limit, it was most likely cut there
        boolean cut = body.size() < 0 && raw.length >= part.fetchLimit();
        if (raw.length > part.fetchLimit()) {
            raw = Arrays.copyOf(raw, (int) part.fetchLimit());
            fetched = false;
        }
        boolean truncated = part.truncated() || cut;
        if (cut) {
            problems.add(ParseProblem.TRUNCATED_TEXT);
        }
        TransferEncoding encoding = body.encoding();
        byte[] bytes = transferDecode(raw, encoding, problems);
        String charset = body.charset();
        if (charset == null && part.html()) {
            charset = metaCharset(bytes);
        }
        boolean flowed = !part.html() && "flowed".equalsIgnoreCase(body.parameters().get("format"));
        String text;
        Optional<Charset> cs = Charsets.lookup(charset);
        if (cs.isEmpty() || Charsets.isAsciiCompatible(cs.get())) {
            // line ends and NULs mended on the bytes (in these charsets CR, LF and NUL are single bytes, never
            // part of another character), so the text is built once, not once more by the mending
            int length = bytes.length;
            if (hasCrOrNul(bytes)) {
                if (bytes == raw && fetched) {
                    bytes = raw.clone();
                }
                length = normaliseBytes(bytes, length, problems);
            }
            int start = 0;
            if (!part.html() && !flowed) {
                // what trimLines would cut (ASCII white space only), cut before decoding: no copy of the text for it
                start = blankLinesBefore(bytes, length);
                length = whiteSpaceAfter(bytes, start, length);
            }
            text = TextDecoder.decode(bytes, start, length - start, charset, Charsets.WINDOWS_1252, truncated, problems,
                    ParseProblem.EIGHT_BIT_TEXT);
        } else {
            text = normalise(TextDecoder.decode(bytes, charset, truncated, problems), problems);
        }
        if (flowed) {
            text = Flowed.unflow(text, "yes".equalsIgnoreCase(body.parameters().get("delsp")));
        }
        return text;
    }

    static byte[] transferDecode(byte[] raw, TransferEncoding encoding, Set<ParseProblem> problems) {
        if (encoding != TransferEncoding.BASE64 && encoding != TransferEncoding.QUOTED_PRINTABLE
                && encoding != TransferEncoding.UUENCODE) {
            return raw;
        }
        if (encoding != TransferEncoding.UUENCODE) {
            // in one pass over the array: the streaming decoders cost a call (or several) per byte
            LenientDecoder.Decoded d = encoding == TransferEncoding.BASE64
                    ? Base64Decoder.decode(raw, 0, raw.length)
                    : QuotedPrintableDecoder.decode(raw, 0, raw.length);
            if (d.hadErrors()) {
                problems.add(ParseProblem.BAD_TRANSFER_ENCODING);
            }
            return d.bytes();
        }
        try (InputStream in = encoding.decode(new ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
            in.transferTo(out);
            if (((LenientDecoder) in).hadErrors()) {
                problems.add(ParseProblem.BAD_TRANSFER_ENCODING);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
    }

    private static String metaCharset(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** Without blank lines at the start and white space at the end (servers differ there); one copy at most. */
    static String trimLines(String text) {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                start = i + 1;
            } else if (c != ' ' && c != '\t') {
                break;
            }
        }
        int end = text.length();
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * {@link #normalise} on bytes of a charset in which CR, LF and NUL are single bytes that are
     * never part of another character (every ASCII-compatible one): in place, in one pass.
     *
     * @return the new length
     */
    static int normaliseBytes(byte[] b, int length, Set<ParseProblem> problems) {
        int w = 0;
        boolean nul = false;
        for (int i = 0; i < length; i++) {
            byte c = b[i];
            if (c == '\r') {
                b[w++] = '\n';
                if (i + 1 < length && b[i + 1] == '\n') {
                    i++;
                }
            } else if (c == 0) {
                nul = true;
            } else {
                b[w++] = c;
            }
        }
        if (nul) {
            problems.add(ParseProblem.CONTROL_CHARACTERS);
        }
        return w;
    }

    /** {@link #trimLines}'s start on bytes: after the blank lines (only spaces and tabs) that begin the text. */
    static int blankLinesBefore(byte[] b, int length) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            byte c = b[i];
            if (c == '\n') {
                start = i + 1;
            } else if (c != ' ' && c != '\t') {
                break;
            }
        }
        return start;
    }

    /** {@link #trimLines}'s end on bytes, for the ASCII white space at the end: its start, or {@code length}. */
    static int whiteSpaceAfter(byte[] b, int start, int length) {
        int end = length;
        while (end > start && b[end - 1] >= 0 && b[end - 1] <= ' ' && Character.isWhitespace((char) b[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean hasCrOrNul(byte[] b) {
        for (byte c : b) {
            if (c == '\r' || c == 0) {
                return true;
            }
        }
        return false;
    }

    /** Line ends as {@code \n}; NUL removed. */
    static String normalise(String text, Set<ParseProblem> problems) {
        // String.replace works on the string's own bytes, without a call per character
        String s = text;
        if (s.indexOf('\r') >= 0) {
            s = s.replace("\r\n", "\n");
            if (s.indexOf('\r') >= 0) {
                s = s.replace('\r', '\n');
            }
        }
        if (s.indexOf('\0') >= 0) {
            problems.add(ParseProblem.CONTROL_CHARACTERS);
            s = s.replace("\0", "");
        }
        return s;
    }
}
