package io.postroom.mime.internal;

import io.postroom.mime.BodyPart;
import io.postroom.mime.EnclosedMessage;
import io.postroom.mime.MailAddress;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.ParameterList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;

/**
 * Angus {@link BODYSTRUCTURE} (what a FETCH response carries) to a {@link BodyPart} tree with IMAP
 * part numbers. Strings the server sent as raw 8-bit (read by Angus as ISO-8859-1) are re-read as
 * UTF-8 where they are UTF-8; file names get the same RFC 2047 decoding as on the whole-message path.
 */
public final class ImapStructureConverter {
    private final ParseOptions options;
    private int parts;

    private ImapStructureConverter(ParseOptions options) {
        this.options = options;
    }

    public static BodyPart convert(BODYSTRUCTURE structure, ParseOptions options) {
        return new ImapStructureConverter(options).convert(structure, null, "", 0);
    }

    private BodyPart convert(BODYSTRUCTURE bs, String number, String messagePrefix, int depth) {
        boolean multi = bs.isMulti();
        if (messagePrefix != null) {
            number = multi ? messagePrefix : messagePrefix.isEmpty() ? "1" : messagePrefix + ".1";
        }
        Set<ParseProblem> ignored = EnumSet.noneOf(ParseProblem.class);
        String type = multi ? "multipart" : lower(bs.type);
        String subtype = lower(bs.subtype);
        if (multi && subtype == null) {
            subtype = "mixed";
        }
        List<BodyPart> children = new ArrayList<>();
        EnclosedMessage message = null;
        if (multi && bs.bodies != null && depth < options.maxDepth()) {
            for (int i = 0; i < bs.bodies.length && parts < options.maxParts(); i++) {
                parts++;
                String childNumber = number.isEmpty() ? Integer.toString(i + 1) : number + "." + (i + 1);
                children.add(convert(bs.bodies[i], childNumber, null, depth + 1));
            }
        } else if (bs.isNested() && depth < options.maxDepth()) {
            if (bs.bodies != null && bs.bodies.length > 0) {
                children.add(convert(bs.bodies[0], null, number, depth + 1));
            }
            message = enclosed(bs.envelope);
        }
        return new BodyPart(number, type, subtype, parameters(bs.cParams), bs.disposition,
                parameters(bs.dParams), bs.encoding, MimeFields.stripAngle(bs.id),
                bs.description == null ? null : EncodedWords.decode(repair(bs.description), ignored).strip(),
                bs.md5, multi ? -1 : bs.size, bs.lines, children, message);
    }

    private static EnclosedMessage enclosed(ENVELOPE envelope) {
        if (envelope == null) {
            return null;
        }
        Set<ParseProblem> ignored = EnumSet.noneOf(ParseProblem.class);
        String subject = envelope.subject == null ? null : EncodedWords.decode(repair(envelope.subject), ignored).strip();
        List<MailAddress> from = new ArrayList<>();
        if (envelope.from != null) {
            for (InternetAddress a : envelope.from) {
                String personal = a.getPersonal();
                if (personal != null) {
                    personal = EncodedWords.decode(repair(personal), ignored);
                }
                String address = a.getAddress() == null ? null : repair(a.getAddress());
                from.add(new MailAddress(personal, address, a.toString()));
            }
        }
        return new EnclosedMessage(subject, from, envelope.date == null ? null : envelope.date.toInstant(),
                MessageIds.first(envelope.messageId));
    }

    private static Map<String, String> parameters(ParameterList list) {
        if (list == null) {
            return Map.of();
        }
        Set<ParseProblem> ignored = EnumSet.noneOf(ParseProblem.class);
        Map<String, String> map = new LinkedHashMap<>();
        Enumeration<String> names = list.getNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            String value = list.get(name);
            if (name == null || value == null) {
                continue;
            }
            String key = name.toLowerCase(Locale.ROOT);
            String v = repair(value);
            if ((key.equals("name") || key.equals("filename")) && v.contains("=?")) {
                v = EncodedWords.decode(v, ignored).strip();
            }
            map.putIfAbsent(key, v);
        }
        return map;
    }

    /** Re-reads a string that holds raw 8-bit bytes as ISO-8859-1 characters: UTF-8 when it is. */
    static String repair(String s) {
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return s;
            }
            if (c >= 0x80) {
                high = true;
            }
        }
        if (!high) {
            return s;
        }
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        String utf8 = TextDecoder.strict(bytes, 0, bytes.length, StandardCharsets.UTF_8, false);
        return utf8 != null ? utf8 : TextDecoder.lenient(bytes, 0, bytes.length, Charsets.WINDOWS_1252);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
