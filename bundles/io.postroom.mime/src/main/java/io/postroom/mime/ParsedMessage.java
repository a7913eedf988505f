package io.postroom.mime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything Postroom stores about one message. Parsing always yields one, whatever the input.
 *
 * @param headers             typed header fields
 * @param structure           the MIME tree
 * @param text                plain text of the body (from text/plain, else converted from HTML);
 *                            line ends are {@code \n}; empty when the message has no text
 * @param html                sanitised HTML of the body, safe to show inside a sandboxed frame; null
 *                            when the message has no HTML part
 * @param attachments         attachments, inline images and enclosed messages
 * @param problems            everything that had to be guessed or dropped (headers, structure, text)
 * @param fingerprint         see {@link MessageHeaders#fingerprint()}
 * @param normalisedSubject   threading key: the RFC 5256 base subject (Re:/Fwd:/AW:/SV:/... and
 *                            leading [list] tags removed), white space collapsed, lower case
 * @param remoteImagesBlocked whether the HTML referenced remote images that were blocked or removed
 */
public record ParsedMessage(MessageHeaders headers, BodyPart structure, String text, String html,
                            List<AttachmentInfo> attachments, Set<ParseProblem> problems,
                            String fingerprint, String normalisedSubject, boolean remoteImagesBlocked) {

    public ParsedMessage {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(structure, "structure");
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        problems = problems == null || problems.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(problems));
        normalisedSubject = normalisedSubject == null ? "" : normalisedSubject;
    }

    public boolean hasProblem(ParseProblem problem) {
        return problems.contains(problem);
    }
}
