package io.postroom.persistence;

import io.postroom.api.message.AttachmentInfo;
import java.util.Objects;

/**
 * An attachment of a stored message as its body structure described it. Its content stays on the
 * server: fetch {@code BODY.PEEK[part]} from a {@link MessageLocation} and undo
 * {@code transferEncoding}.
 *
 * @param index            position among the message's attachments, from 1
 * @param part             IMAP section number, e.g. {@code 2} or {@code 1.3}
 * @param fileName         decoded file name, may be null
 * @param contentType      lower-case {@code type/subtype}
 * @param size             encoded size in octets
 * @param inline           shown inside the message (inline disposition or a cid: image)
 * @param contentId        Content-ID without angle brackets, may be null
 * @param transferEncoding Content-Transfer-Encoding as declared, lower case, may be null (7bit)
 */
public record AttachmentRecord(int index, String part, String fileName, String contentType, long size, boolean inline,
                               String contentId, String transferEncoding) {
    public AttachmentRecord {
        Objects.requireNonNull(part, "part");
        contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }

    public AttachmentInfo info() {
        return new AttachmentInfo(index, fileName == null ? "" : fileName, contentType, size, inline, contentId);
    }
}
