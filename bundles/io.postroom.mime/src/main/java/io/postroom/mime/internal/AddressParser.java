package io.postroom.mime.internal;

import io.postroom.mime.MailAddress;
import io.postroom.mime.ParseProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Address lists (RFC 5322 §3.4 and the obsolete syntax of §4.4), read as tolerantly as mail
 * clients read them: groups (members kept, names dropped), comments, routes, white space around
 * dots, missing commas between addresses, unquoted display names with specials, unterminated
 * quotes and brackets, encoded words in display names.
 */
public final class AddressParser {
    private static final int MAX_ADDRESSES = 5000;

    private AddressParser() {
    }

    private enum Kind { WORD, QUOTED, COMMENT, OPEN, CLOSE, COMMA, SEMI, COLON, AT }

    private record Token(Kind kind, String text, int start, int end, boolean spaceBefore) {
    }

    /** Parses an address list; a field with guesses is flagged {@link ParseProblem#MALFORMED_HEADER}. */
    public static List<MailAddress> parseList(String value, Set<ParseProblem> problems) {
        List<MailAddress> result = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        List<Token> tokens = tokenize(value, problems);
        List<Token> current = new ArrayList<>();
        boolean inAngle = false;
        for (Token t : tokens) {
            if (inAngle) {
                current.add(t);
                if (t.kind == Kind.CLOSE) {
                    inAngle = false;
                }
                continue;
            }
            switch (t.kind) {
                case OPEN -> {
                    inAngle = true;
                    current.add(t);
                }
                case COMMA, SEMI -> {
                    mailbox(value, current, result, problems);
                    current.clear();
                }
                case COLON -> {
                    if (hasAddressPart(current)) {
                        current.add(t); // not a group: keep it in the address
                    } else {
                        current.clear(); // group name: dropped, the members follow
                    }
                }
                default -> current.add(t);
            }
            if (result.size() >= MAX_ADDRESSES) {
                problems.add(ParseProblem.TRUNCATED_HEADER);
                return result;
            }
        }
        if (inAngle) {
            problems.add(ParseProblem.MALFORMED_HEADER);
        }
        mailbox(value, current, result, problems);
        return result;
    }

    /** Parses a single mailbox field (Sender): the first address of the list. */
    public static MailAddress parseSingle(String value, Set<ParseProblem> problems) {
        List<MailAddress> list = parseList(value, problems);
        return list.isEmpty() ? null : list.get(0);
    }

    private static boolean hasAddressPart(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.kind == Kind.OPEN || t.kind == Kind.AT) {
                return true;
            }
        }
        return false;
    }

    private static void mailbox(String source, List<Token> tokens, List<MailAddress> out, Set<ParseProblem> problems) {
        if (tokens.isEmpty()) {
            return;
        }
        int open = -1;
        int close = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Kind k = tokens.get(i).kind;
            if (k == Kind.OPEN && open < 0) {
                open = i;
            } else if (k == Kind.CLOSE && open >= 0 && close < 0) {
                close = i;
            }
        }
        String raw = source.substring(tokens.get(0).start, tokens.get(tokens.size() - 1).end).strip();
        if (open >= 0) {
            int end = close < 0 ? tokens.size() : close;
            String address = joinTight(tokens.subList(open + 1, end));
            int colon = address.lastIndexOf(':');
            if (address.startsWith("@") && colon > 0) {
                address = address.substring(colon + 1); // obsolete route
            }
            String name = phrase(tokens.subList(0, open), problems);
            List<Token> after = close < 0 ? List.of() : tokens.subList(close + 1, tokens.size());
            if (name == null) {
                name = comments(tokens.subList(0, open), problems);
                if (name == null) {
                    name = comments(after, problems);
                }
            }
            out.add(new MailAddress(name, address, raw));
            // "Name <a@b> c@d": a missing comma
            List<String> extra = chunks(after);
            for (String chunk : extra) {
                if (chunk.indexOf('@') > 0) {
                    problems.add(ParseProblem.MALFORMED_HEADER);
                    out.add(new MailAddress(null, chunk, chunk));
                }
            }
            return;
        }
        List<String> chunks = chunks(tokens);
        if (chunks.isEmpty()) {
            return;
        }
        List<String> addresses = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String chunk : chunks) {
            if (chunk.indexOf('@') >= 0) {
                addresses.add(chunk);
            } else if (addresses.isEmpty()) {
                words.add(unquoteWord(chunk));
            }
        }
        if (addresses.isEmpty()) {
            problems.add(ParseProblem.MALFORMED_HEADER);
            if (chunks.size() == 1) {
                out.add(new MailAddress(null, unquoteWord(chunks.get(0)), raw));
            } else {
                out.add(new MailAddress(EncodedWords.decode(String.join(" ", words), problems), null, raw));
            }
            return;
        }
        if (addresses.size() > 1) {
            problems.add(ParseProblem.MALFORMED_HEADER); // addresses without commas between them
            for (String address : addresses) {
                out.add(new MailAddress(null, address, address));
            }
            return;
        }
        String name = words.isEmpty() ? null : EncodedWords.decode(String.join(" ", words), problems);
        if (name == null) {
            name = comments(tokens, problems);
        }
        out.add(new MailAddress(name, addresses.get(0), raw));
    }

    private static String unquoteWord(String chunk) {
        return chunk.length() >= 2 && chunk.startsWith("\"") && chunk.endsWith("\"")
                ? chunk.substring(1, chunk.length() - 1) : chunk;
    }

    /** Display name: words and quoted strings before the angle bracket, decoded; null when none. */
    private static String phrase(List<Token> tokens, Set<ParseProblem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind == Kind.COMMENT) {
                continue;
            }
            if (sb.length() > 0 && t.spaceBefore) {
                sb.append(' ');
            }
            sb.append(t.text);
        }
        String name = sb.toString().strip();
        if (name.isEmpty()) {
            return null;
        }
        return EncodedWords.decode(name, problems).strip();
    }

    private static String comments(List<Token> tokens, Set<ParseProblem> problems) {
        for (Token t : tokens) {
            if (t.kind == Kind.COMMENT && !t.text.isBlank()) {
                return EncodedWords.decode(t.text.strip(), problems);
            }
        }
        return null;
    }

    /** Tokens joined without white space and comments: an addr-spec. */
    private static String joinTight(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind == Kind.COMMENT) {
                continue;
            }
            if (t.kind == Kind.QUOTED) {
                sb.append('"').append(t.text).append('"');
            } else {
                sb.append(t.text);
            }
        }
        return sb.toString();
    }

    /**
     * Groups tokens into white-space separated chunks; chunks that start or end with '.' or '@' are
     * joined to their neighbours (obsolete white space inside an addr-spec).
     */
    private static List<String> chunks(List<Token> tokens) {
        List<StringBuilder> chunks = new ArrayList<>();
        boolean breakBefore = true;
        for (Token t : tokens) {
            if (t.kind == Kind.COMMENT) {
                breakBefore = true;
                continue;
            }
            if (t.kind == Kind.OPEN || t.kind == Kind.CLOSE) {
                breakBefore = true;
                continue;
            }
            String text = t.kind == Kind.QUOTED ? '"' + t.text + '"' : t.text;
            if (breakBefore || t.spaceBefore || chunks.isEmpty()) {
                chunks.add(new StringBuilder(text));
            } else {
                chunks.get(chunks.size() - 1).append(text);
            }
            breakBefore = false;
        }
        List<String> merged = new ArrayList<>();
        for (StringBuilder c : chunks) {
            String s = c.toString();
            if (!merged.isEmpty()) {
                String last = merged.get(merged.size() - 1);
                if (last.endsWith(".") || last.endsWith("@") || s.startsWith(".") || s.startsWith("@")) {
                    merged.set(merged.size() - 1, last + s);
                    continue;
                }
            }
            merged.add(s);
        }
        return merged;
    }

    private static List<Token> tokenize(String s, Set<ParseProblem> problems) {
        List<Token> tokens = new ArrayList<>();
        int n = s.length();
        int i = 0;
        boolean space = false;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            int start = i;
            switch (c) {
                case '"' -> {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char q = s.charAt(i);
                        if (q == '\\' && i + 1 < n) {
                            sb.append(s.charAt(i + 1));
                            i += 2;
                            continue;
                        }
                        i++;
                        if (q == '"') {
                            closed = true;
                            break;
                        }
                        sb.append(q);
                    }
                    if (!closed) {
                        problems.add(ParseProblem.MALFORMED_HEADER);
                    }
                    tokens.add(new Token(Kind.QUOTED, sb.toString(), start, i, space));
                }
                case '(' -> {
                    StringBuilder sb = new StringBuilder();
                    int depth = 1;
                    i++;
                    while (i < n && depth > 0) {
                        char q = s.charAt(i);
                        if (q == '\\' && i + 1 < n) {
                            sb.append(s.charAt(i + 1));
                            i += 2;
                            continue;
                        }
                        i++;
                        if (q == '(') {
                            depth++;
                        } else if (q == ')') {
                            depth--;
                            if (depth == 0) {
                                break;
                            }
                        }
                        sb.append(q);
                    }
                    if (depth > 0) {
                        problems.add(ParseProblem.MALFORMED_HEADER);
                    }
                    tokens.add(new Token(Kind.COMMENT, sb.toString(), start, i, space));
                }
                case '<' -> tokens.add(new Token(Kind.OPEN, "<", start, ++i, space));
                case '>' -> tokens.add(new Token(Kind.CLOSE, ">", start, ++i, space));
                case ',' -> tokens.add(new Token(Kind.COMMA, ",", start, ++i, space));
                case ';' -> tokens.add(new Token(Kind.SEMI, ";", start, ++i, space));
                case ':' -> tokens.add(new Token(Kind.COLON, ":", start, ++i, space));
                case '@' -> tokens.add(new Token(Kind.AT, "@", start, ++i, space));
                default -> {
                    if (c == '=' && i + 1 < n && s.charAt(i + 1) == '?') {
                        int close = encodedWordEnd(s, i);
                        if (close > 0) {
                            tokens.add(new Token(Kind.WORD, s.substring(i, close), start, close, space));
                            i = close;
                            break;
                        }
                    }
                    while (i < n) {
                        char w = s.charAt(i);
                        if (Character.isWhitespace(w) || "\"()<>,;:@".indexOf(w) >= 0) {
                            break;
                        }
                        i++;
                    }
                    tokens.add(new Token(Kind.WORD, s.substring(start, i), start, i, space));
                }
            }
            space = false;
        }
        return tokens;
    }

    /** End of an encoded word starting at i ({@code =?cs?X?text?=} without white space), or -1. */
    private static int encodedWordEnd(String s, int i) {
        int limit = Math.min(s.length(), i + 1000);
        int questions = 0;
        for (int j = i + 2; j < limit; j++) {
            char c = s.charAt(j);
            if (Character.isWhitespace(c)) {
                return -1;
            }
            if (c == '?') {
                questions++;
                if (questions >= 3 && j + 1 < s.length() && s.charAt(j + 1) == '=') {
                    return j + 2;
                }
            }
        }
        return -1;
    }
}
