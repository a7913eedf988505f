package io.postroom.mime;

import java.util.Objects;

/**
 * A body part to download for the message text.
 *
 * @param part       the part, from the structure
 * @param html       text/html (true) or text/plain (false)
 * @param fetchLimit how many octets to download at most; the rest of a longer part is dropped
 *                   ({@link ParseProblem#TRUNCATED_TEXT})
 */
public record TextPart(BodyPart part, boolean html, long fetchLimit) {

    public TextPart {
        Objects.requireNonNull(part, "part");
    }

    public String partNumber() {
        return part.partNumber();
    }

    /** Whether the part is longer than {@link #fetchLimit()}. */
    public boolean truncated() {
        return part.size() > fetchLimit;
    }

    /**
     * The FETCH item that downloads it without setting {@code \Seen}: {@code BODY.PEEK[1.2]}, or
     * {@code BODY.PEEK[1.2]<0.1048576>} when only the beginning is wanted, or when the structure does
     * not tell the part's size (it may be of any size, so it is never asked whole).
     */
    public String fetchItem() {
        return "BODY.PEEK[" + part.partNumber() + "]" + (truncated() || part.size() < 0 ? "<0." + fetchLimit + ">" : "");
    }
}
