package io.postroom.api.message;

/**
 * An attachment as the body structure describes it; its content stays on the server until
 * someone opens it.
 *
 * @param index       position among the message's attachments, from 1 (what {@code openAttachment} takes)
 * @param fileName    decoded file name, may be empty
 * @param contentType e.g. {@code application/pdf}
 * @param size        encoded size on the server, in bytes
 * @param inline      shown inside the message (Content-Disposition inline or a cid: image)
 * @param contentId   Content-ID without angle brackets, may be null
 */
public record AttachmentInfo(int index, String fileName, String contentType, long size, boolean inline, String contentId) {
}
