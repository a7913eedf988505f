package io.postroom.mime.internal;

import io.postroom.mime.MailAddress;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.ParseProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns a header block into {@link MessageHeaders} (and the MIME fields of the message). */
public final class HeaderParser {

    /** Both views of one header block. */
    public record Result(MessageHeaders headers, EntityHeaders entity, HeaderFields fields) {
    }

    private HeaderParser() {
    }

    public static Result parse(byte[] block, int offset, int length, int maxValueChars) {
        HeaderFields fields = HeaderFields.parse(block, offset, length, null, maxValueChars);
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        problems.addAll(fields.problems());
        Map<String, String> raw = new LinkedHashMap<>();

        List<MailAddress> from = addresses(fields, "from", problems, raw);
        List<MailAddress> replyTo = addresses(fields, "reply-to", problems, raw);
        List<MailAddress> to = addresses(fields, "to", problems, raw);
        List<MailAddress> cc = addresses(fields, "cc", problems, raw);
        List<MailAddress> bcc = addresses(fields, "bcc", problems, raw);
        MailAddress sender = null;
        String senderValue = single(fields, "sender", problems);
        if (senderValue != null) {
            sender = track("sender", senderValue, raw, problems, p -> AddressParser.parseSingle(senderValue, p));
        }
        if (from.stream().noneMatch(a -> a.address() != null)) {
            problems.add(ParseProblem.MISSING_FROM);
        }

        String subjectValue = single(fields, "subject", problems);
        String subject = subjectValue == null ? null
                : track("subject", subjectValue, raw, problems, p -> EncodedWords.decode(subjectValue, p).strip());
        if (subject != null) {
            subject = HeaderFields.clean(subject, problems);
        }

        String dateValue = single(fields, "date", problems);
        Instant date = null;
        if (dateValue == null) {
            problems.add(ParseProblem.MISSING_DATE);
        } else {
            date = track("date", dateValue, raw, problems, p -> DateParser.parse(dateValue, p));
        }

        String messageId = MessageIds.first(single(fields, "message-id", problems));
        if (messageId == null) {
            problems.add(ParseProblem.MISSING_MESSAGE_ID);
        }
        List<String> inReplyTo = MessageIds.list(single(fields, "in-reply-to", problems));
        Set<String> references = new LinkedHashSet<>();
        List<String> referenceValues = fields.all("references");
        if (referenceValues.size() > 1) {
            problems.add(ParseProblem.DUPLICATE_HEADER);
        }
        for (String value : referenceValues) {
            references.addAll(MessageIds.list(value));
        }

        String autoSubmitted = blankToNull(fields.first("auto-submitted"));
        String listIdValue = blankToNull(fields.first("list-id"));
        String listId = listIdValue == null ? null : listId(listIdValue);
        String precedence = blankToNull(fields.first("precedence"));
        if (precedence != null) {
            precedence = precedence.toLowerCase(Locale.ROOT);
        }
        String returnPath = returnPath(fields.first("return-path"));

        EntityHeaders entity = EntityHeaders.of(fields, problems);
        MessageHeaders headers = new MessageHeaders(from, sender, replyTo, to, cc, bcc, subject, date, messageId,
                inReplyTo, new ArrayList<>(references), autoSubmitted, listId, precedence, returnPath,
                fields.fingerprint(), raw, problems);
        return new Result(headers, entity, fields);
    }

    private static List<MailAddress> addresses(HeaderFields fields, String name, Set<ParseProblem> problems,
                                               Map<String, String> raw) {
        List<String> values = fields.all(name);
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() > 1) {
            problems.add(ParseProblem.DUPLICATE_HEADER);
        }
        List<MailAddress> all = new ArrayList<>();
        for (String value : values) {
            List<MailAddress> list = track(name, value, raw, problems, p -> AddressParser.parseList(value, p));
            all.addAll(list);
        }
        return all;
    }

    /** The first value of a field that may occur once; flags repeats. */
    private static String single(HeaderFields fields, String name, Set<ParseProblem> problems) {
        int count = fields.count(name);
        if (count > 1) {
            problems.add(ParseProblem.DUPLICATE_HEADER);
        }
        return count == 0 ? null : fields.first(name);
    }

    private interface Decoding<T> {
        T apply(Set<ParseProblem> problems);
    }

    /** Runs a decoding and keeps the raw value when it met problems. */
    private static <T> T track(String name, String value, Map<String, String> raw, Set<ParseProblem> problems,
                               Decoding<T> decoding) {
        Set<ParseProblem> local = EnumSet.noneOf(ParseProblem.class);
        T result = decoding.apply(local);
        if (!local.isEmpty()) {
            problems.addAll(local);
            raw.putIfAbsent(name, value);
        }
        return result;
    }

    private static String listId(String value) {
        int lt = value.lastIndexOf('<');
        int gt = value.lastIndexOf('>');
        if (lt >= 0 && gt > lt + 1) {
            return value.substring(lt + 1, gt).strip();
        }
        return value.strip();
    }

    private static String returnPath(String value) {
        if (value == null) {
            return null;
        }
        String s = MimeFields.stripComments(value).strip();
        int lt = s.indexOf('<');
        if (lt >= 0) {
            int gt = s.indexOf('>', lt + 1);
            s = gt < 0 ? s.substring(lt + 1) : s.substring(lt + 1, gt);
        }
        return s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
