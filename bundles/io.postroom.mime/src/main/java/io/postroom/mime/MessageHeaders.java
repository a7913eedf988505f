package io.postroom.mime;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header fields Postroom stores, decoded (RFC 2047, RFC 6532, undeclared 8-bit) and typed.
 * Built from the raw header block ({@code BODY[HEADER]}) by {@link MimeParser#parseHeaders}.
 *
 * @param from          From mailboxes (several when the field lists several, or repeats)
 * @param sender        Sender; null when absent
 * @param replyTo       Reply-To mailboxes
 * @param to            To mailboxes (group names dropped, members kept)
 * @param cc            Cc mailboxes
 * @param bcc           Bcc mailboxes
 * @param subject       decoded Subject, white space runs kept, trimmed; null when absent
 * @param date          Date; null when absent ({@link ParseProblem#MISSING_DATE}) or unreadable
 *                      ({@link ParseProblem#BAD_DATE})
 * @param messageId     Message-ID without angle brackets; null when absent
 * @param inReplyTo     message ids from In-Reply-To, without angle brackets
 * @param references    message ids from References (all References fields, in order, no duplicates)
 * @param autoSubmitted Auto-Submitted value (RFC 3834), trimmed; null when absent
 * @param listId        List-Id: the id inside angle brackets, or the trimmed value; null when absent
 * @param precedence    Precedence value (bulk, list, junk, ...), trimmed and lower case; null when absent
 * @param returnPath    Return-Path: the address, {@code ""} for the null reverse-path {@code <>}, null when absent
 * @param fingerprint   lower-case hex SHA-256 of the header block (line ends made CRLF, an mbox
 *                      {@code From } line and the blank line after the header left out): identifies
 *                      the message when Message-ID is missing, also after a UIDVALIDITY change
 * @param rawValues     undecoded (unfolded) values of the fields whose decoding had problems, keyed by
 *                      lower-case field name
 * @param problems      problems met while reading the header
 */
public record MessageHeaders(List<MailAddress> from, MailAddress sender, List<MailAddress> replyTo,
                             List<MailAddress> to, List<MailAddress> cc, List<MailAddress> bcc,
                             String subject, Instant date, String messageId,
                             List<String> inReplyTo, List<String> references,
                             String autoSubmitted, String listId, String precedence, String returnPath,
                             String fingerprint, Map<String, String> rawValues, Set<ParseProblem> problems) {

    public MessageHeaders {
        from = copy(from);
        replyTo = copy(replyTo);
        to = copy(to);
        cc = copy(cc);
        bcc = copy(bcc);
        inReplyTo = copy(inReplyTo);
        references = copy(references);
        rawValues = rawValues == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rawValues));
        problems = problems == null || problems.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(problems));
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
