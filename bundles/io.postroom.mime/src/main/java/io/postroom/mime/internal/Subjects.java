package io.postroom.mime.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 5256 §2.1 base subject with localised reply and forward prefixes. */
public final class Subjects {
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u3000]+");
    private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\]\\s*");
    private static final Pattern FWD_WRAPPER = Pattern.compile("(?i)^\\[fwd:\\s*(.*)\\]$");
    /**
     * Reply and forward prefixes: English (Re, Fw, Fwd), German (AW, WG, Antw), Nordic (SV, VS, VB,
     * VL, Vs, Svar, Fs), Dutch (Antw, Doorst), French (Réf, TR), Spanish/Portuguese (RV, RES, ENC),
     * Italian (R, RIF, I), Polish (Odp, PD), Turkish (YNT, İLT), Czech (Odp), Hungarian (Vá, Továbbítás),
     * Greek (ΑΠ, ΣΧΕΤ, ΠΡΘ), Russian and Ukrainian (Отв, Ответ, Відп, Пересл, Fwd), Hebrew (השב, הועבר),
     * Chinese (回复, 回覆, 答复, 转发, 轉寄), Japanese (返信, 転送), Korean (회신, 전달).
     */
    private static final Pattern REFWD = Pattern.compile(
            "^(?:re|fwd?|aw|wg|antw|antwort|sv|vs|vb|vl|svar|fs|doorst|réf|ref|tr|rv|res|enc|r|rif|i|odp|pd|ynt|"
                    + "ilt|vá|továbbítás|απ|σχετ|πρθ|отв|ответ|відп|вiдп|пересл|переслать|השב|הועבר|"
                    + "回复|回覆|答复|转发|轉寄|轉發|返信|転送|회신|전달|답장)"
                    + "\\s*(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)?\\s*(?:\\[[^\\[\\]]*\\]\\s*)?[:：]\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private Subjects() {
    }

    public static String base(String subject) {
        if (subject == null) {
            return "";
        }
        String s = WHITESPACE.matcher(Normalizer.normalize(subject, Normalizer.Form.NFC)).replaceAll(" ").strip();
        for (int round = 0; round < 100; round++) {
            String before = s;
            // trailers: "(fwd)" at the end, any number of them (indices, not copies: no quadratic work)
            int end = s.length();
            while (true) {
                while (end > 0 && s.charAt(end - 1) == ' ') {
                    end--;
                }
                if (end >= 5 && s.regionMatches(true, end - 5, "(fwd)", 0, 5)) {
                    end -= 5;
                } else {
                    break;
                }
            }
            // leaders: "Re:", "[list]" and friends at the start
            int start = 0;
            Matcher refwd = REFWD.matcher(s);
            Matcher blob = BLOB.matcher(s);
            boolean changed = true;
            while (changed && start < end) {
                changed = false;
                if (refwd.region(start, end).lookingAt()) {
                    start = skipSpaces(s, refwd.end(), end);
                    changed = true;
                } else if (blob.region(start, end).lookingAt() && blob.end() < end) {
                    start = skipSpaces(s, blob.end(), end);
                    changed = true;
                }
            }
            s = s.substring(start, end).strip();
            Matcher wrapper = FWD_WRAPPER.matcher(s);
            if (wrapper.matches()) {
                s = wrapper.group(1).strip();
            }
            if (s.equals(before)) {
                break;
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static int skipSpaces(String s, int from, int end) {
        int i = from;
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
