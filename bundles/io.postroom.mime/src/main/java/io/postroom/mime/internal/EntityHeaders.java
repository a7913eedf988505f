package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.util.Map;
import java.util.Set;

/**
 * The MIME fields of one entity (the message or a body part).
 *
 * @param type     lower-case media type; null when absent or unreadable
 * @param subtype  lower-case subtype; null when absent or unreadable
 */
public record EntityHeaders(String type, String subtype, Map<String, String> parameters,
                            String disposition, Map<String, String> dispositionParameters,
                            String transferEncoding, String contentId, String description, String md5) {

    public static EntityHeaders of(HeaderFields fields, Set<ParseProblem> problems) {
        String ct = fields.first("content-type");
        if (fields.count("content-type") > 1 || fields.count("content-transfer-encoding") > 1
                || fields.count("content-disposition") > 1) {
            problems.add(ParseProblem.DUPLICATE_HEADER);
        }
        MimeFields.Value type = MimeFields.parseContentType(ct, problems);
        MimeFields.Value disposition = MimeFields.parseDisposition(fields.first("content-disposition"), problems);
        String cte = fields.first("content-transfer-encoding");
        if (cte != null && cte.isBlank()) {
            cte = null;
        }
        String description = fields.first("content-description");
        if (description != null) {
            description = description.isBlank() ? null : EncodedWords.decode(description, problems).strip();
        }
        String md5 = fields.first("content-md5");
        return new EntityHeaders(type.type(), type.subtype(), type.parameters(), disposition.type(),
                disposition.parameters(), cte == null ? null : cte.strip(),
                MimeFields.stripAngle(fields.first("content-id")), description,
                md5 == null || md5.isBlank() ? null : md5.strip());
    }
}
