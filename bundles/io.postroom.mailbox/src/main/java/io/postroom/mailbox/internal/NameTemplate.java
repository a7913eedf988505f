package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mailbox's name in lists: text with {@code {{first_name}}} and {@code {{last_name}}} of the
 * owner. Anything else in double braces is refused, so a typo does not show up in every list.
 */
final class NameTemplate {
    static final int MAX_LENGTH = 200;
    static final Set<String> PLACEHOLDERS = Set.of("first_name", "last_name");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private NameTemplate() {
    }

    /** Checks a template; returns it stripped. */
    static String check(String template) {
        String t = TextRules.headerSafe("nameTemplate", "mailbox name", template, MAX_LENGTH);
        Matcher m = PLACEHOLDER.matcher(t);
        StringBuilder rest = new StringBuilder();
        int end = 0;
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new PostroomException(ErrorCode.INVALID_INPUT,
                        "The mailbox name uses {{" + m.group(1) + "}}; only {{first_name}} and {{last_name}} are known.",
                        Map.of("field", "nameTemplate", "placeholder", m.group(1)));
            }
            rest.append(t, end, m.start());
            end = m.end();
        }
        rest.append(t.substring(end));
        if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "nameTemplate",
                    "The mailbox name has unmatched double braces; write placeholders as {{first_name}} or {{last_name}}.");
        }
        return t;
    }

    /** The name with the owner's names filled in and spaces tidied; the address if nothing is left. */
    static String render(String template, String firstName, String lastName, String address) {
        if (template == null || template.isBlank()) {
            return address;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "first_name" -> firstName == null ? "" : firstName;
                case "last_name" -> lastName == null ? "" : lastName;
                default -> m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String name = out.toString().replaceAll("\\s+", " ").strip();
        return name.isEmpty() ? address : name;
    }
}
