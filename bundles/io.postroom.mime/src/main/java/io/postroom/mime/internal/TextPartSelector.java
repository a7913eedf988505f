package io.postroom.mime.internal;

import io.postroom.mime.AttachmentInfo;
import io.postroom.mime.BodyPart;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.TextPart;
import io.postroom.mime.TextSegment;
import io.postroom.mime.TextSelection;
import io.postroom.mime.TransferEncoding;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Picks the parts that make up the message text from a body structure, as mail clients do:
 * the last text/plain and the last text/html (or the multipart holding it) of every
 * multipart/alternative; the root of a multipart/related; the first part of a multipart/signed;
 * every inline text part of mixed, report and other multiparts. Everything else (and text parts
 * with Content-Disposition attachment or a file name) is an attachment; enclosed messages are
 * attachments and are not searched for text. Each text part is capped, and so is the total.
 */
public final class TextPartSelector {
    private static final Pattern UNSAFE_NAME = Pattern.compile("[\\p{Cntrl}\\u202A-\\u202E\\u2066-\\u2069]");
    private static final int MAX_FILE_NAME = 255;
    private static final java.util.Set<String> TEXT_ALTERNATIVES = java.util.Set.of("plain", "html", "enriched",
            "richtext", "x-amp-html", "watch-html", "x-web-markdown", "markdown");

    private final ParseOptions options;
    private final List<TextSegment> segments = new ArrayList<>();
    private final List<AttachmentInfo> attachments = new ArrayList<>();
    private final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
    private long budget;
    private int nodes;

    private TextPartSelector(ParseOptions options) {
        this.options = options;
        this.budget = options.maxTotalTextBytes();
    }

    public static TextSelection select(BodyPart root, ParseOptions options) {
        TextPartSelector selector = new TextPartSelector(options);
        selector.checkTree(root, 0);
        selector.walk(root, 0, true);
        return new TextSelection(selector.segments, selector.attachments, selector.problems);
    }

    /** Problems visible in the structure: bad transfer encodings, nesting and part limits. */
    private void checkTree(BodyPart part, int depth) {
        nodes++;
        if (!TransferEncoding.isWellFormed(part.transferEncoding())) {
            problems.add(ParseProblem.BAD_TRANSFER_ENCODING);
        }
        if (nodes > options.maxParts()) {
            problems.add(ParseProblem.TOO_MANY_PARTS);
        }
        if (part.isMultipart() && part.parts().isEmpty() && depth >= options.maxDepth()) {
            problems.add(ParseProblem.MIME_NESTING_TOO_DEEP);
        }
        if (depth > options.maxDepth()) {
            problems.add(ParseProblem.MIME_NESTING_TOO_DEEP);
            return;
        }
        for (BodyPart child : part.parts()) {
            checkTree(child, depth + 1);
        }
    }

    private void walk(BodyPart part, int depth, boolean root) {
        if (part.isMultipart()) {
            if (depth > options.maxDepth()) {
                return;
            }
            List<BodyPart> children = part.parts();
            if (children.isEmpty()) {
                return;
            }
            switch (part.subtype()) {
                case "alternative" -> alternative(part, depth);
                case "related" -> related(part, depth);
                case "signed" -> {
                    walk(children.get(0), depth + 1, false);
                    for (int i = 1; i < children.size(); i++) {
                        attachment(children.get(i), false);
                    }
                }
                default -> {
                    for (BodyPart child : children) {
                        walk(child, depth + 1, false);
                    }
                }
            }
            return;
        }
        if (isBodyText(part, root)) {
            addSegment(part.subtype().equals("html") ? null : part, part.subtype().equals("html") ? part : null);
        } else {
            attachment(part, false);
        }
    }

    private static boolean isBodyText(BodyPart part, boolean root) {
        if (!part.type().equals("text") || !(part.subtype().equals("plain") || part.subtype().equals("html"))) {
            return false;
        }
        if (part.isAttachmentDisposition()) {
            return false;
        }
        return root || part.fileName() == null;
    }

    private void alternative(BodyPart part, int depth) {
        BodyPart plain = null;
        BodyPart html = null;
        BodyPart complex = null;
        List<BodyPart> others = new ArrayList<>();
        for (BodyPart child : part.parts()) {
            if (child.isMultipart()) {
                complex = child;
                html = null;
            } else if (child.type().equals("text") && child.subtype().equals("plain") && !child.isAttachmentDisposition()) {
                plain = child;
            } else if (child.type().equals("text") && child.subtype().equals("html") && !child.isAttachmentDisposition()) {
                html = child;
                complex = null;
            } else if (!child.type().equals("text") || child.isAttachmentDisposition()
                    || !TEXT_ALTERNATIVES.contains(child.subtype())) {
                others.add(child); // text/calendar invitations, attached files
            }
            // other text renderings of the same content (text/enriched, ...) are not shown
        }
        if (complex != null) {
            int before = segments.size();
            walk(complex, depth + 1, false);
            List<TextSegment> added = segments.subList(before, segments.size());
            if (plain != null) {
                if (added.size() == 1 && added.get(0).plain() == null) {
                    TextSegment only = added.get(0);
                    TextPart plainPart = textPart(plain);
                    added.set(0, new TextSegment(plainPart, only.html()));
                } else if (added.isEmpty()) {
                    addSegment(plain, null);
                }
            }
        } else if (plain != null || html != null) {
            addSegment(plain, html);
        }
        for (BodyPart other : others) {
            attachment(other, false);
        }
    }

    private void related(BodyPart part, int depth) {
        List<BodyPart> children = part.parts();
        String start = part.parameters().get("start");
        BodyPart root = children.get(0);
        if (start != null) {
            String id = MimeFields.stripAngle(start);
            for (BodyPart child : children) {
                if (id != null && id.equals(child.contentId())) {
                    root = child;
                    break;
                }
            }
        }
        walk(root, depth + 1, false);
        for (BodyPart child : children) {
            if (child != root) {
                attachment(child, true);
            }
        }
    }

    private void addSegment(BodyPart plain, BodyPart html) {
        TextPart p = plain == null ? null : textPart(plain);
        TextPart h = html == null ? null : textPart(html);
        if (p != null || h != null) {
            segments.add(new TextSegment(p, h));
        }
    }

    /**
     * The part within what is left of the message's text budget. A part of unknown size (the
     * structure has none) counts as its whole limit, and is left out once nothing is left: it is
     * always fetched partially, and a partial fetch of nothing cannot be asked.
     */
    private TextPart textPart(BodyPart part) {
        long size = part.size();
        if (budget <= 0 && size != 0) {
            problems.add(ParseProblem.TRUNCATED_TEXT);
            return null;
        }
        long limit = Math.min(options.maxTextBytes(), Math.max(budget, 0));
        TextPart text = new TextPart(part, part.subtype().equals("html"), Math.max(limit, 0));
        if (text.truncated()) {
            problems.add(ParseProblem.TRUNCATED_TEXT);
        }
        budget -= size < 0 ? limit : Math.min(size, limit);
        return text;
    }

    private void attachment(BodyPart part, boolean related) {
        if (part.isMultipart()) {
            // a multipart where an attachment is expected (signed content, related parts): its leaves
            for (BodyPart child : part.parts()) {
                attachment(child, related);
            }
            return;
        }
        String subject = part.message() == null ? null : part.message().subject();
        boolean inline = !part.isAttachmentDisposition()
                && ("inline".equals(part.disposition()) || related && part.contentId() != null);
        attachments.add(new AttachmentInfo(part.partNumber(), safeFileName(part.fileName()), part.mimeType(),
                Math.max(part.size(), 0), part.contentId(), inline, part.transferEncoding(), subject));
    }

    /** The last path element, without control or bidi-override characters, at most 255 characters. */
    static String safeFileName(String name) {
        if (name == null) {
            return null;
        }
        String s = UNSAFE_NAME.matcher(name).replaceAll("");
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        s = s.strip();
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.length() > MAX_FILE_NAME) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            s = s.substring(0, MAX_FILE_NAME - ext.length()) + ext;
        }
        return s.isEmpty() ? null : s;
    }
}
