package io.postroom.mime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link MimeParser#selectText} decided from a body structure: the text parts to download,
 * in reading order, and every other part as attachment metadata.
 *
 * @param segments    the message text, in reading order
 * @param attachments attachments, inline images and enclosed messages, in structure order
 * @param problems    problems visible in the structure alone (truncation, nesting, encodings)
 */
public record TextSelection(List<TextSegment> segments, List<AttachmentInfo> attachments, Set<ParseProblem> problems) {

    public TextSelection {
        segments = List.copyOf(segments);
        attachments = List.copyOf(attachments);
        problems = problems == null || problems.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(problems));
    }

    /**
     * The octets its parts download at most together: each part's size, at most its fetch limit (a
     * part of unknown size, its fetch limit).
     */
    public long fetchBytes() {
        long total = 0;
        for (TextPart part : parts()) {
            total += wanted(part);
        }
        return total;
    }

    /**
     * This selection with its parts' fetch limits lowered so that together they download at most
     * {@code bytes} octets: parts below an even share keep what they have, the larger ones are cut
     * to the same length, so each keeps its beginning. A part of known size cut that way adds
     * {@link ParseProblem#TRUNCATED_TEXT}; a part of unknown size is flagged only when it turns out
     * as long as its limit ({@link MimeParser#assemble(MessageHeaders, BodyPart, TextSelection, java.util.Map)}).
     * Returns this selection when it fits already.
     *
     * @param bytes the octets all parts may download together, at least one per part
     * @throws IllegalArgumentException when {@code bytes} is less than one octet per part
     * @since 1.1
     */
    public TextSelection within(long bytes) {
        List<TextPart> parts = parts();
        if (bytes < parts.size()) {
            throw new IllegalArgumentException("the text of " + parts.size() + " parts cannot be fetched within " + bytes
                    + " bytes");
        }
        if (fetchBytes() <= bytes) {
            return this;
        }
        // the largest length c with the sum of min(wanted, c) within bytes: fill the small parts first
        long[] wanted = parts.stream().mapToLong(TextSelection::wanted).sorted().toArray();
        long left = bytes;
        long cut = 0;
        for (int i = 0; i < wanted.length; i++) {
            long share = left / (wanted.length - i);
            if (wanted[i] > share) {
                cut = share;
                break;
            }
            left -= wanted[i];
        }
        long limit = cut;
        Set<ParseProblem> cutProblems = EnumSet.noneOf(ParseProblem.class);
        cutProblems.addAll(problems);
        List<TextSegment> within = new ArrayList<>(segments.size());
        for (TextSegment segment : segments) {
            within.add(new TextSegment(lowered(segment.plain(), limit, cutProblems), lowered(segment.html(), limit, cutProblems)));
        }
        return new TextSelection(within, attachments, cutProblems);
    }

    private static TextPart lowered(TextPart part, long limit, Set<ParseProblem> problems) {
        if (part == null || wanted(part) <= limit) {
            return part;
        }
        TextPart cut = new TextPart(part.part(), part.html(), limit);
        if (cut.truncated()) {
            problems.add(ParseProblem.TRUNCATED_TEXT);
        }
        return cut;
    }

    private static long wanted(TextPart part) {
        long size = part.part().size();
        return size < 0 ? part.fetchLimit() : Math.min(size, part.fetchLimit());
    }

    /** Every text part to download, in reading order. */
    public List<TextPart> parts() {
        List<TextPart> parts = new ArrayList<>();
        for (TextSegment segment : segments) {
            if (segment.plain() != null) {
                parts.add(segment.plain());
            }
            if (segment.html() != null) {
                parts.add(segment.html());
            }
        }
        return parts;
    }
}
