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
