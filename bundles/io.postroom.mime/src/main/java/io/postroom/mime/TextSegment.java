package io.postroom.mime;

/**
 * One piece of the message text in reading order: the plain and/or HTML version of the same
 * content (a multipart/alternative), or a single text part. At least one of the two is present.
 *
 * @param plain text/plain version; null when absent
 * @param html  text/html version; null when absent
 */
public record TextSegment(TextPart plain, TextPart html) {
    public TextSegment {
        if (plain == null && html == null) {
            throw new IllegalArgumentException("a text segment needs a plain or an HTML part");
        }
    }
}
