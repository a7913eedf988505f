package io.postroom.mime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One node of a message's MIME tree, as IMAP BODYSTRUCTURE describes it.
 *
 * <p>Part numbers follow IMAP (RFC 3501 §6.4.5): a single-part message has one part {@code "1"};
 * the children of a multipart body are {@code "1"}, {@code "2"}, ...; the multipart that is the body
 * of the message has the number {@code ""}; children of nested parts are {@code "2.1"},
 * {@code "2.2"}. A message/rfc822 part {@code "3"} has exactly one entry in {@link #parts()}: the
 * body of the enclosed message, numbered {@code "3"} when it is multipart (its children are
 * {@code "3.1"}, ...) or {@code "3.1"} when it is not.
 *
 * @param partNumber             IMAP section number, see above
 * @param type                   lower-case media type ({@code text}); never null
 * @param subtype                lower-case subtype ({@code plain}); never null
 * @param parameters             Content-Type parameters, lower-case names, decoded values (RFC 2231/2047)
 * @param disposition            lower-case Content-Disposition type ({@code inline}, {@code attachment}); null when absent
 * @param dispositionParameters  Content-Disposition parameters, decoded like {@code parameters}
 * @param transferEncoding       Content-Transfer-Encoding as declared, lower case; null when absent (7bit)
 * @param contentId              Content-ID without angle brackets; null when absent
 * @param description            decoded Content-Description; null when absent
 * @param md5                    Content-MD5; null when absent
 * @param size                   size of the encoded body in octets; -1 when unknown (multiparts)
 * @param lines                  lines of the encoded body for text and message parts; -1 when unknown
 * @param parts                  children of a multipart, or the enclosed body of a message/rfc822 part
 * @param message                subject, sender, date and id of an enclosed message; null for other parts
 */
public record BodyPart(String partNumber, String type, String subtype, Map<String, String> parameters,
                       String disposition, Map<String, String> dispositionParameters,
                       String transferEncoding, String contentId, String description, String md5,
                       long size, long lines, List<BodyPart> parts, EnclosedMessage message) {

    public BodyPart {
        partNumber = partNumber == null ? "" : partNumber;
        type = type == null || type.isBlank() ? "application" : type.toLowerCase(Locale.ROOT);
        subtype = subtype == null || subtype.isBlank() ? "octet-stream" : subtype.toLowerCase(Locale.ROOT);
        parameters = copy(parameters);
        dispositionParameters = copy(dispositionParameters);
        disposition = disposition == null || disposition.isBlank() ? null : disposition.toLowerCase(Locale.ROOT);
        transferEncoding = transferEncoding == null || transferEncoding.isBlank() ? null
                : transferEncoding.strip().toLowerCase(Locale.ROOT);
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** {@code type/subtype}. */
    public String mimeType() {
        return type + "/" + subtype;
    }

    public boolean isMultipart() {
        return "multipart".equals(type);
    }

    /** message/rfc822 or message/global: a whole message inside this one. */
    public boolean isMessage() {
        return "message".equals(type) && ("rfc822".equals(subtype) || "global".equals(subtype));
    }

    /** The charset parameter; null when absent. */
    public String charset() {
        return parameters.get("charset");
    }

    /** The file name: Content-Disposition filename, else the Content-Type name; null when neither. */
    public String fileName() {
        String name = dispositionParameters.get("filename");
        if (name == null || name.isBlank()) {
            name = parameters.get("name");
        }
        return name == null || name.isBlank() ? null : name;
    }

    /** Whether Content-Disposition says attachment. */
    public boolean isAttachmentDisposition() {
        return "attachment".equals(disposition);
    }

    /** The transfer encoding, read leniently. */
    public TransferEncoding encoding() {
        return TransferEncoding.of(transferEncoding);
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
