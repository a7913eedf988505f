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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        TextSelection selection = TextPartSelector.select(structure, options);
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        problems.addAll(headers.problems());
        problems.addAll(selection.problems());
        problems.addAll(extra);
        StringBuilder text = new StringBuilder();
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
                if (text.length() > 0) {
                    text.append("\n\n");
                }
                text.append(segmentText);
            }
            anyHtml |= html != null;
            pieces.add(new Piece(html, plain, parsed));
        }
        String html = null;
        boolean remoteBlocked = false;
        if (anyHtml) {
            StringBuilder out = new StringBuilder();
            for (Piece piece : pieces) {
                if (piece.html() != null) {
                    HtmlSanitizer.Result clean = piece.parsed() != null
                            ? sanitizer.sanitize(piece.parsed()) : sanitizer.sanitize(piece.html());
                    remoteBlocked |= clean.remoteImagesBlocked();
                    out.append(pieces.size() == 1 ? clean.html() : "<div>" + clean.html() + "</div>");
                } else if (piece.plain() != null && !piece.plain().isBlank()) {
                    out.append("<div style=\"white-space: pre-wrap\">").append(Entities.escape(piece.plain()))
                            .append("</div>");
                }
            }
            html = out.toString().strip();
        }
        return new ParsedMessage(headers, structure, text.toString(), html, selection.attachments(), problems,
                headers.fingerprint(), BaseSubject.of(headers.subject()), remoteBlocked);
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
        if (raw.length > part.fetchLimit()) {
            raw = Arrays.copyOf(raw, (int) part.fetchLimit());
        }
        boolean truncated = part.truncated();
        TransferEncoding encoding = body.encoding();
        byte[] bytes = transferDecode(raw, encoding, problems);
        String charset = body.charset();
        if (charset == null && part.html()) {
            charset = metaCharset(bytes);
        }
        String text = TextDecoder.decode(bytes, charset, truncated, problems);
        text = normalise(text, problems);
        if (!part.html() && "flowed".equalsIgnoreCase(body.parameters().get("format"))) {
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

    /** Without blank lines at the start and white space at the end (servers differ there). */
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
        return text.substring(start).stripTrailing();
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
