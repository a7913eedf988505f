package io.postroom.mime;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An attachment (or inline image, or enclosed message) found in the body structure. Attachments
 * are not downloaded during sync: fetch {@code BODY.PEEK[partNumber]} when a user opens one and
 * decode it with {@link TransferEncoding#decode(java.io.InputStream)}.
 *
 * @param partNumber       IMAP section number
 * @param fileName         file name, decoded, without directories or control characters; null when none
 * @param contentType      lower-case {@code type/subtype}
 * @param size             size of the encoded body in octets (as IMAP reports it)
 * @param contentId        Content-ID without angle brackets; null when absent
 * @param inline           shown inline (disposition inline, or referenced by Content-ID) rather than attached
 * @param transferEncoding declared Content-Transfer-Encoding, lower case; null when absent
 * @param subject          for an enclosed message (message/rfc822): its subject; null otherwise
 */
public record AttachmentInfo(String partNumber, String fileName, String contentType, long size,
                             String contentId, boolean inline, String transferEncoding, String subject) {

    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}/\\\\:*?\"<>|]");

    /** A name to show and to save under: the file name, else one made from the subject or the type. */
    public String displayName() {
        if (fileName != null) {
            return fileName;
        }
        String base = subject != null && !subject.isBlank()
                ? UNSAFE.matcher(subject.strip()).replaceAll("_") : "part-" + partNumber;
        if (base.length() > 100) {
            base = base.substring(0, 100);
        }
        if (contentType.startsWith("message/")) {
            return base + ".eml";
        }
        String sub = contentType.substring(contentType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        String ext = switch (sub) {
            case "plain" -> "txt";
            case "jpeg" -> "jpg";
            case "octet-stream" -> "bin";
            default -> sub.replaceAll("[^a-z0-9]", "");
        };
        return base + "." + (ext.isEmpty() ? "bin" : ext);
    }

    /** An estimate of the decoded size (base64 shrinks by a quarter). */
    public long approximateDecodedSize() {
        if (size <= 0) {
            return size;
        }
        return TransferEncoding.of(transferEncoding) == TransferEncoding.BASE64 ? size * 3 / 4 : size;
    }
}
