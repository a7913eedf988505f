package io.postroom.mime.internal;

import io.postroom.mime.BodyPart;
import io.postroom.mime.EnclosedMessage;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a whole RFC 5322 message in one pass, building the {@link BodyPart} tree as IMAP would and
 * keeping only header blocks and the beginning of text parts that may become the message text.
 * Attachment bodies are only counted. Lenient: missing or guessed boundaries, missing closing
 * boundaries, parts without headers; nesting, part count, header and text sizes are bounded.
 * One instance parses one message (it is not thread-safe; the parser creates one per call).
 */
final class MimeStreamParser {
    private static final int MAX_PART_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BOUNDARY = 998;

    private final LineReader in;
    private final ParseOptions options;
    private final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
    private final List<byte[]> boundaries = new ArrayList<>(); // stack; null = boundary to be guessed
    private final Map<String, byte[]> captured = new HashMap<>();
    private long captureBudget;
    private int partCount;

    // what ended the last body: index of the boundary in the stack (-1: end of input), closing or not
    private int termIndex = -1;
    private boolean termClose;
    private long bodyEnd;
    private long bodyLines;

    /** The outcome of one message. */
    record Result(HeaderParser.Result header, BodyPart structure, Map<String, byte[]> textParts,
                  Set<ParseProblem> problems) {
    }

    MimeStreamParser(InputStream raw, ParseOptions options) {
        this.in = new LineReader(raw);
        this.options = options;
        this.captureBudget = 2L * options.maxTotalTextBytes();
    }

    Result parse() throws IOException {
        byte[] header = readHeaderBlock(options.maxHeaderBytes(), Mode.TOP).bytes;
        HeaderParser.Result parsed = HeaderParser.parse(header, 0, header.length, options.maxHeaderValueChars());
        BodyPart root = body(parsed.entity(), null, "", 0, false, false);
        return new Result(parsed, root, captured, problems);
    }

    private record HeaderBlock(byte[] bytes, boolean endedByDelimiter) {
    }

    /** Where a header block is read. */
    private enum Mode {
        /** The message header: up to the blank line. */
        TOP,
        /** A body part header: also stops at a boundary and at a line that is not a field. */
        PART,
        /** The header of an enclosed message: also stops at a boundary. */
        MESSAGE
    }

    /** Reads header lines up to the blank line (see {@link Mode}). */
    private HeaderBlock readHeaderBlock(int max, Mode mode) throws IOException {
        boolean partMode = mode != Mode.TOP;
        ByteArrayOutputStream out = new ByteArrayOutputStream(partMode ? 256 : 4096);
        boolean truncated = false;
        boolean first = true;
        while (in.next()) {
            if (partMode && in.atLineStart && in.wholeLine() && matchDelimiter()) {
                bodyEnd = in.segmentPosition;
                return new HeaderBlock(out.toByteArray(), true);
            }
            if (in.atLineStart && in.length == 0 && in.eolLength > 0) {
                return new HeaderBlock(out.toByteArray(), false); // the blank line
            }
            if (mode == Mode.PART && in.atLineStart && !looksLikeField(first)) {
                problems.add(ParseProblem.BROKEN_MIME); // body without a blank line before it
                in.pushBack();
                return new HeaderBlock(out.toByteArray(), false);
            }
            first = false;
            if (out.size() + in.length + in.eolLength <= max) {
                out.write(in.buffer(), in.start, in.length + in.eolLength);
            } else if (!truncated) {
                truncated = true;
                problems.add(ParseProblem.TRUNCATED_HEADER);
            }
        }
        termIndex = -1;
        bodyEnd = in.position();
        return new HeaderBlock(out.toByteArray(), false);
    }

    private boolean looksLikeField(boolean first) {
        if (in.length == 0) {
            return true;
        }
        byte b = in.at(0);
        if (b == ' ' || b == '\t') {
            return !first;
        }
        for (int i = 0; i < in.length; i++) {
            byte c = in.at(i);
            if (c == ':') {
                return i > 0;
            }
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return false;
    }

    /** Position where the body starts, after {@link #readHeaderBlock}. */
    private long bodyStart(HeaderBlock block) {
        if (block.endedByDelimiter) {
            return in.segmentPosition;
        }
        return in.position();
    }

    /**
     * Reads the body of an entity whose header has been read, up to a boundary of the stack or the
     * end of input.
     *
     * @param number        part number of a child of a multipart; null for the body of a message
     * @param messagePrefix for the body of a message: the number of the message part ("" at the top)
     */
    private BodyPart body(EntityHeaders h, String number, String messagePrefix, int depth, boolean digestChild,
                          boolean enclosed) throws IOException {
        return body(h, number, messagePrefix, depth, digestChild, enclosed, in.position(), false);
    }

    private BodyPart body(EntityHeaders h, String number, String messagePrefix, int depth, boolean digestChild,
                          boolean enclosed, long start, boolean empty) throws IOException {
        String type = h.type();
        String subtype = h.subtype();
        if (type == null) {
            type = digestChild ? "message" : "text";
            subtype = digestChild ? "rfc822" : "plain";
        }
        boolean multipart = type.equals("multipart");
        if (messagePrefix != null) {
            number = multipart ? messagePrefix : messagePrefix.isEmpty() ? "1" : messagePrefix + ".1";
        }
        if (empty) {
            return leafPart(h, type, subtype, number, 0, 0);
        }
        if (multipart) {
            if (depth >= options.maxDepth()) {
                problems.add(ParseProblem.MIME_NESTING_TOO_DEEP);
                readBody(null);
                return leafPart(h, type, subtype, number, bodyEnd - start, -1);
            }
            return multipart(h, subtype, number, messagePrefix != null, depth, enclosed, start);
        }
        boolean message = type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
        TransferEncodingKind kind = TransferEncodingKind.of(h.transferEncoding());
        if (message && kind.identity && depth < options.maxDepth()) {
            return enclosedMessage(h, type, subtype, number, depth, start);
        }
        Capture capture = null;
        boolean candidate = !enclosed && type.equals("text") && (subtype.equals("plain") || subtype.equals("html"))
                && !"attachment".equals(h.disposition());
        if (candidate && captureBudget > 0) {
            capture = new Capture((int) Math.min(options.maxTextBytes(), captureBudget));
        }
        readBody(capture);
        if (capture != null) {
            byte[] bytes = capture.bytes();
            captured.put(number, bytes);
            captureBudget -= bytes.length;
        }
        return leafPart(h, type, subtype, number, bodyEnd - start, type.equals("text") ? bodyLines : -1);
    }

    private BodyPart multipart(EntityHeaders h, String subtype, String number, boolean messageRoot, int depth,
                               boolean enclosed, long start) throws IOException {
        String boundaryParam = h.parameters().get("boundary");
        byte[] boundary = null;
        if (boundaryParam != null && !boundaryParam.isEmpty() && boundaryParam.length() <= MAX_BOUNDARY) {
            boundary = boundaryParam.getBytes(StandardCharsets.UTF_8);
        } else {
            problems.add(ParseProblem.BROKEN_MIME);
        }
        boundaries.add(boundary);
        int me = boundaries.size() - 1;
        // the preamble is kept (as far as text is) in case no part is found: then it is the text
        Capture preamble = !enclosed && captureBudget > 0
                ? new Capture((int) Math.min(options.maxTextBytes(), captureBudget)) : null;
        readBody(preamble);
        List<BodyPart> children = new ArrayList<>();
        int index = 0;
        while (termIndex == me && !termClose) {
            HeaderBlock block = readHeaderBlock(MAX_PART_HEADER_BYTES, Mode.PART);
            HeaderFields fields = HeaderFields.parse(block.bytes, 0, block.bytes.length, null,
                    options.maxHeaderValueChars(), false);
            problems.addAll(fields.problems());
            EntityHeaders childHeaders = EntityHeaders.of(fields, problems);
            index++;
            String childNumber = number.isEmpty() ? Integer.toString(index) : number + "." + index;
            long childStart = bodyStart(block);
            if (partCount >= options.maxParts()) {
                problems.add(ParseProblem.TOO_MANY_PARTS);
                if (!block.endedByDelimiter) {
                    readBody(null);
                }
                continue;
            }
            partCount++;
            BodyPart child = body(childHeaders, childNumber, null, depth + 1, subtype.equals("digest"), enclosed,
                    childStart, block.endedByDelimiter);
            children.add(child);
        }
        if (termIndex == me) {
            readBody(null); // epilogue
        } else {
            problems.add(ParseProblem.BROKEN_MIME); // no closing boundary (or none at all)
        }
        boundaries.remove(me);
        if (children.isEmpty()) {
            // no part found: the body is kept as text
            String leafNumber = messageRoot ? (number.isEmpty() ? "1" : number + ".1") : number;
            if (preamble != null) {
                byte[] bytes = preamble.bytes();
                captured.put(leafNumber, bytes);
                captureBudget -= bytes.length;
            }
            return new BodyPart(leafNumber, "text", "plain", Map.of(), null, Map.of(), h.transferEncoding(),
                    null, null, null, bodyEnd - start, -1, List.of(), null);
        }
        return new BodyPart(number, "multipart", subtype, h.parameters(), h.disposition(), h.dispositionParameters(),
                h.transferEncoding(), h.contentId(), h.description(), h.md5(), -1, -1, children, null);
    }

    private BodyPart enclosedMessage(EntityHeaders h, String type, String subtype, String number, int depth,
                                     long start) throws IOException {
        HeaderBlock block = readHeaderBlock(MAX_PART_HEADER_BYTES, Mode.MESSAGE);
        HeaderParser.Result nested = HeaderParser.parse(block.bytes, 0, block.bytes.length,
                options.maxHeaderValueChars());
        MessageHeaders mh = nested.headers();
        EnclosedMessage info = new EnclosedMessage(mh.subject(), mh.from(), mh.date(), mh.messageId());
        BodyPart inner = body(nested.entity(), null, number, depth + 1, false, true, bodyStart(block),
                block.endedByDelimiter);
        return new BodyPart(number, type, subtype, h.parameters(), h.disposition(), h.dispositionParameters(),
                h.transferEncoding(), h.contentId(), h.description(), h.md5(), bodyEnd - start, -1,
                List.of(inner), info);
    }

    private static BodyPart leafPart(EntityHeaders h, String type, String subtype, String number, long size, long lines) {
        return new BodyPart(number, type, subtype, h.parameters(), h.disposition(), h.dispositionParameters(),
                h.transferEncoding(), h.contentId(), h.description(), h.md5(), Math.max(0, size), lines, List.of(),
                null);
    }

    /**
     * Reads body lines up to a boundary of the stack (setting {@link #termIndex}) or the end of input.
     * The line end before a boundary belongs to the boundary. Sets {@link #bodyEnd} and {@link #bodyLines}.
     */
    private void readBody(Capture sink) throws IOException {
        int pendingEol = 0;
        long lines = 0;
        while (in.next()) {
            if (in.atLineStart && in.wholeLine() && in.length >= 2 && in.at(0) == '-' && in.at(1) == '-'
                    && matchDelimiter()) {
                bodyEnd = in.segmentPosition - pendingEol;
                bodyLines = lines;
                return;
            }
            if (pendingEol > 0) {
                if (sink != null) {
                    sink.write(pendingEol == 2 ? CRLF : LF, 0, pendingEol);
                }
                lines++;
            }
            if (sink != null) {
                sink.write(in.buffer(), in.start, in.length);
            }
            pendingEol = in.eolLength;
        }
        if (pendingEol > 0) {
            if (sink != null) {
                sink.write(pendingEol == 2 ? CRLF : LF, 0, pendingEol);
            }
            lines++;
        }
        termIndex = -1;
        termClose = false;
        bodyEnd = in.position();
        bodyLines = lines;
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LF = {'\n'};

    /** Whether the current whole line is a boundary of the stack; sets {@link #termIndex}, {@link #termClose}. */
    private boolean matchDelimiter() {
        if (in.length < 2 || in.at(0) != '-' || in.at(1) != '-' || boundaries.isEmpty()) {
            return false;
        }
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            byte[] b = boundaries.get(i);
            if (b == null || !in.regionEquals(2, b)) {
                continue;
            }
            int rest = 2 + b.length;
            if (in.length - rest >= 2 && in.at(rest) == '-' && in.at(rest + 1) == '-') {
                termIndex = i;
                termClose = true;
                return true;
            }
            if (onlyWhitespace(rest)) {
                termIndex = i;
                termClose = false;
                return true;
            }
        }
        // a multipart without a boundary parameter: the first "--line" is taken as its boundary
        int top = boundaries.size() - 1;
        if (boundaries.get(top) == null && in.length > 2) {
            int end = in.length;
            while (end > 2 && (in.at(end - 1) == ' ' || in.at(end - 1) == '\t')) {
                end--;
            }
            if (end - 2 > MAX_BOUNDARY) {
                return false;
            }
            byte[] guessed = new byte[end - 2];
            System.arraycopy(in.buffer(), in.start + 2, guessed, 0, guessed.length);
            boundaries.set(top, guessed);
            termIndex = top;
            termClose = false;
            return true;
        }
        return false;
    }

    private boolean onlyWhitespace(int from) {
        for (int i = from; i < in.length; i++) {
            byte c = in.at(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Keeps at most {@code limit} bytes. */
    private static final class Capture {
        private final int limit;
        private byte[] data = new byte[256];
        private int size;

        Capture(int limit) {
            this.limit = limit;
        }

        void write(byte[] b, int off, int len) {
            int n = Math.min(len, limit - size);
            if (n <= 0) {
                return;
            }
            if (size + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.min(limit, Math.max(size + n, data.length * 2)));
            }
            System.arraycopy(b, off, data, size, n);
            size += n;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(data, size);
        }
    }

    /** Whether a declared transfer encoding leaves the body as it is (so a nested message can be read). */
    private enum TransferEncodingKind {
        IDENTITY(true), ENCODED(false);

        final boolean identity;

        TransferEncodingKind(boolean identity) {
            this.identity = identity;
        }

        static TransferEncodingKind of(String declared) {
            if (declared == null) {
                return IDENTITY;
            }
            String s = declared.strip().toLowerCase(Locale.ROOT);
            return s.isEmpty() || s.startsWith("7") || s.startsWith("8") || s.equals("binary") ? IDENTITY : ENCODED;
        }
    }
}
