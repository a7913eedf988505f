package io.postroom.api;

import java.util.Locale;

/**
 * An addr-spec (RFC 5322 §3.4.1, UTF-8 allowed as in RFC 6531): a dot-atom local part and a
 * domain name. The domain is kept in lower case; {@link #key()} is the case-insensitive form used
 * for uniqueness and matching. Display names are not part of an address.
 */
public record EmailAddress(String value) {
    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL = 64;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    public EmailAddress {
        value = normalize(value);
    }

    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    /** Lower-case form: what two addresses are compared by. */
    public String key() {
        return value.toLowerCase(Locale.ROOT);
    }

    public String localPart() {
        return value.substring(0, value.lastIndexOf('@'));
    }

    public String domain() {
        return value.substring(value.lastIndexOf('@') + 1);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(raw, "it is empty");
        }
        String s = raw.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new PostroomException(ErrorCode.HEADER_INJECTION,
                        "The address must not contain line breaks.");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw invalid(s, "it contains a space or control character");
            }
        }
        if (s.length() > MAX_LENGTH) {
            throw invalid(s, "it is longer than " + MAX_LENGTH + " characters");
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1 || s.indexOf('@') != at) {
            throw invalid(s, "it needs exactly one @ with a name before and a domain after it");
        }
        String local = s.substring(0, at);
        String domain = s.substring(at + 1).toLowerCase(Locale.ROOT);
        if (local.length() > MAX_LOCAL) {
            throw invalid(s, "the part before @ is longer than " + MAX_LOCAL + " characters");
        }
        checkDotAtom(s, local, "the part before @");
        checkDomain(s, domain);
        return local + "@" + domain;
    }

    private static void checkDotAtom(String s, String atom, String what) {
        if (atom.startsWith(".") || atom.endsWith(".") || atom.contains("..")) {
            throw invalid(s, what + " has a misplaced dot");
        }
        for (int i = 0; i < atom.length(); i++) {
            char c = atom.charAt(i);
            boolean ok = c == '.' || c >= 0x80 || Character.isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                throw invalid(s, what + " contains the character '" + c + "'");
            }
        }
    }

    private static void checkDomain(String s, String domain) {
        if (!domain.contains(".")) {
            throw invalid(s, "the domain '" + domain + "' has no dot");
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw invalid(s, "the domain '" + domain + "' has an empty or too long label");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw invalid(s, "a domain label must not start or end with a hyphen");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c == '-' || c >= 0x80 || Character.isLetterOrDigit(c))) {
                    throw invalid(s, "the domain contains the character '" + c + "'");
                }
            }
        }
    }

    private static PostroomException invalid(String s, String why) {
        return new PostroomException(ErrorCode.INVALID_ADDRESS,
                "'" + (s == null ? "" : s) + "' is not a valid e-mail address: " + why + ".");
    }
}
