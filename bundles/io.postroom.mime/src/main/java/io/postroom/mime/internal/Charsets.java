package io.postroom.mime.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charset names as mail uses them, mapped to Java charsets. Labels follow what mail clients and
 * the WHATWG encoding standard do: US-ASCII and ISO-8859-1 are read as windows-1252 (a superset),
 * KS C 5601 / EUC-KR as windows-949, GB2312/GBK as GB18030, Shift_JIS as windows-31j, Big5 as
 * Big5-HKSCS, UTF-7 with {@link Utf7Charset}.
 */
public final class Charsets {
    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static final Map<String, String> ALIASES = new HashMap<>();
    private static final Pattern ISO_8859 = Pattern.compile("iso[-_ ]?8859[-_ ]?(\\d{1,2})(?:[-:].*)?");
    private static final Pattern WINDOWS = Pattern.compile("(?:x-)?(?:cp|win|windows|ms)[-_ ]?(\\d{3,4})");
    private static final int CACHE_LIMIT = 512;
    private static final Map<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    static {
        alias("UTF-8", "utf-8", "utf8", "unicode-1-1-utf-8", "x-utf8", "x-unicode20utf8", "unicode-2-0-utf-8");
        alias("UTF7", "utf-7", "utf7", "unicode-1-1-utf-7", "x-unicode-2-0-utf-7", "csunicode11utf7",
                "unicode-2-0-utf-7", "x-utf-7");
        alias("windows-1252", "us-ascii", "ascii", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us", "us",
                "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "8859_1",
                "iso-ir-100", "csisolatin1", "iso_8859-1:1987", "x-ansi", "ansi", "cp1252", "windows-1252");
        alias("x-windows-949", "ks_c_5601-1987", "ks_c_5601", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
                "csksc56011987", "euc-kr", "euckr", "cseuckr", "windows-949", "cp949", "ms949", "uhc", "iso-ir-149");
        alias("GB18030", "gb2312", "gbk", "gb_2312-80", "gb_2312", "csgb2312", "x-gbk", "cp936", "ms936",
                "windows-936", "chinese", "euc-cn", "x-euc-cn", "iso-ir-58", "csiso58gb231280", "gb18030");
        alias("Big5-HKSCS", "big5", "big-5", "x-x-big5", "csbig5", "cn-big5", "big5-hkscs", "cp950", "x-windows-950");
        alias("windows-31j", "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
                "cp932", "ms932", "x-ms-cp932");
        alias("ISO-2022-JP", "iso-2022-jp", "csiso2022jp", "iso2022jp", "jis");
        alias("EUC-JP", "euc-jp", "x-euc-jp", "cseucpkdfmtjapanese", "eucjp");
        alias("x-windows-874", "windows-874", "tis-620", "iso-8859-11", "dos-874", "cp874");
        alias("windows-1254", "iso-8859-9", "latin5", "l5", "iso8859-9", "csisolatin5", "iso-ir-148");
        alias("ISO-8859-8", "iso-8859-8-i", "iso-8859-8-e", "logical", "visual");
        alias("KOI8-R", "koi8-r", "koi8", "koi", "cskoi8r", "koi8_r");
        alias("KOI8-U", "koi8-u", "koi8-ru");
        alias("UTF-16", "utf-16", "utf16", "unicode", "ucs-2", "iso-10646-ucs-2", "csunicode");
    }

    private Charsets() {
    }

    private static void alias(String charset, String... names) {
        for (String name : names) {
            ALIASES.put(name, charset);
        }
    }

    /** The charset label with quotes, white space and comments removed, lower case; null when blank. */
    public static String clean(String label) {
        if (label == null) {
            return null;
        }
        String s = label.strip();
        int paren = s.indexOf('(');
        if (paren > 0) {
            s = s.substring(0, paren).strip();
        }
        while (s.length() > 1 && (s.startsWith("\"") || s.startsWith("'"))) {
            s = s.substring(1);
        }
        while (s.length() > 1 && (s.endsWith("\"") || s.endsWith("'") || s.endsWith(";"))) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }

    /** Whether the label says US-ASCII (or nothing at all). */
    public static boolean isAsciiLabel(String label) {
        String s = clean(label);
        return s == null || s.equals("us-ascii") || s.equals("ascii") || s.startsWith("ansi_x3.4") || s.equals("us");
    }

    /** The charset for a label; empty when Java does not know it. */
    public static Optional<Charset> lookup(String label) {
        String s = clean(label);
        if (s == null || s.length() > 64) {
            return Optional.empty();
        }
        Optional<Charset> cached = CACHE.get(s);
        if (cached != null) {
            return cached;
        }
        Optional<Charset> found = Optional.ofNullable(find(s));
        if (CACHE.size() < CACHE_LIMIT) {
            CACHE.put(s, found);
        }
        return found;
    }

    private static Charset find(String s) {
        String target = ALIASES.get(s);
        if ("UTF7".equals(target)) {
            return Utf7Charset.INSTANCE;
        }
        if ("UTF-8".equals(target)) {
            return StandardCharsets.UTF_8;
        }
        if (target != null) {
            Charset cs = forName(target);
            if (cs != null) {
                return cs;
            }
        }
        Matcher iso = ISO_8859.matcher(s);
        if (iso.matches()) {
            String n = iso.group(1);
            if (n.equals("1")) {
                return WINDOWS_1252;
            }
            if (n.equals("9")) {
                return forName("windows-1254");
            }
            return forName("ISO-8859-" + n);
        }
        Matcher win = WINDOWS.matcher(s);
        if (win.matches()) {
            String n = win.group(1);
            Charset cs = forName("windows-" + n);
            if (cs == null) {
                cs = forName("x-windows-" + n);
            }
            if (cs == null) {
                cs = forName("IBM" + n);
            }
            if (cs != null) {
                return cs;
            }
        }
        Charset cs = forName(s);
        if (cs == null && s.startsWith("x-")) {
            cs = forName(s.substring(2));
        }
        if (cs == null && !s.startsWith("x-")) {
            cs = forName("x-" + s);
        }
        return cs;
    }

    private static Charset forName(String name) {
        try {
            return Charset.isSupported(name) ? Charset.forName(name) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether ASCII bytes mean ASCII characters in this charset (false for UTF-7, ISO-2022-*, UTF-16). */
    public static boolean isAsciiCompatible(Charset cs) {
        if (cs == StandardCharsets.UTF_8 || cs == WINDOWS_1252 || cs == StandardCharsets.US_ASCII
                || cs == StandardCharsets.ISO_8859_1) {
            return true;
        }
        if (cs instanceof Utf7Charset) {
            return false;
        }
        String name = cs.name().toUpperCase(Locale.ROOT);
        return !(name.contains("2022") || name.startsWith("UTF-16") || name.startsWith("UTF-32")
                || name.contains("EBCDIC") || name.startsWith("IBM0") || name.startsWith("IBM-0")
                || name.equals("IBM037") || name.startsWith("X-IBM") || name.contains("HZ"));
    }
}
