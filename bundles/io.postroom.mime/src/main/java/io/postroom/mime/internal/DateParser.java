package io.postroom.mime.internal;

import io.postroom.mime.ParseProblem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Dates of RFC 5322 (with the obsolete syntax: comments, 2-digit years, named zones) and the common
 * broken forms: any token order ({@code May 8, 2005 1:17 PM}, asctime), white space around colons,
 * ISO 8601, missing or unknown zones (read as UTC and flagged). Impossible dates (hour 59, year
 * 3609) give null and {@link ParseProblem#BAD_DATE}.
 */
public final class DateParser {
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final Set<String> DAYS = Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun",
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "tues", "wednes", "thur", "thurs");
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("gmt", 0), Map.entry("z", 0), Map.entry("wet", 0),
            Map.entry("est", -300), Map.entry("edt", -240), Map.entry("cst", -360), Map.entry("cdt", -300),
            Map.entry("mst", -420), Map.entry("mdt", -360), Map.entry("pst", -480), Map.entry("pdt", -420),
            Map.entry("akst", -540), Map.entry("akdt", -480), Map.entry("hst", -600), Map.entry("ast", -240),
            Map.entry("adt", -180), Map.entry("nst", -210), Map.entry("ndt", -150),
            Map.entry("cet", 60), Map.entry("cest", 120), Map.entry("met", 60), Map.entry("mest", 120),
            Map.entry("bst", 60), Map.entry("west", 60), Map.entry("eet", 120), Map.entry("eest", 180),
            Map.entry("msk", 180), Map.entry("ist", 330), Map.entry("jst", 540), Map.entry("kst", 540),
            Map.entry("hkt", 480), Map.entry("sgt", 480), Map.entry("awst", 480), Map.entry("acst", 570),
            Map.entry("aest", 600), Map.entry("aedt", 660), Map.entry("nzst", 720), Map.entry("nzdt", 780),
            Map.entry("cat", 120), Map.entry("eat", 180), Map.entry("wat", 60), Map.entry("sast", 120),
            Map.entry("pht", 480), Map.entry("wib", 420));
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*");
    private static final Pattern COLON_SPACE = Pattern.compile("\\s*:\\s*");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private DateParser() {
    }

    /** The instant of a Date value; null (flagged {@link ParseProblem#BAD_DATE}) when hopeless. */
    public static Instant parse(String value, Set<ParseProblem> problems) {
        if (value == null) {
            return null;
        }
        String s = MimeFields.stripComments(value).strip();
        if (s.isEmpty() || s.length() > 200) {
            problems.add(ParseProblem.BAD_DATE);
            return null;
        }
        if (ISO.matcher(s).matches()) {
            try {
                return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    Instant local = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                    problems.add(ParseProblem.BAD_DATE);
                    return local;
                } catch (DateTimeParseException e2) {
                    problems.add(ParseProblem.BAD_DATE);
                    return null;
                }
            }
        }
        String[] tokens = SEPARATORS.split(COLON_SPACE.matcher(s).replaceAll(":"));
        int day = -1;
        int month = -1;
        int year = -1;
        int hour = -1;
        int minute = -1;
        int second = 0;
        Integer offsetMinutes = null;
        boolean guessed = false;
        boolean pm = false;
        boolean am = false;
        int yearDigits = 4;
        for (String raw : tokens) {
            if (raw.isEmpty()) {
                continue;
            }
            String t = raw.toLowerCase(Locale.ROOT);
            char c = t.charAt(0);
            if (t.indexOf(':') > 0 && hour < 0 && Character.isDigit(c)) {
                String[] hms = t.split(":");
                try {
                    hour = Integer.parseInt(hms[0]);
                    minute = hms.length > 1 ? Integer.parseInt(digits(hms[1])) : 0;
                    second = hms.length > 2 ? Integer.parseInt(digits(hms[2])) : 0;
                } catch (NumberFormatException e) {
                    problems.add(ParseProblem.BAD_DATE);
                    return null;
                }
                continue;
            }
            if ((c == '+' || c == '-') && t.length() >= 3 && offsetMinutes == null) {
                Integer off = numericOffset(t.substring(1));
                if (off != null) {
                    offsetMinutes = c == '-' ? -off : off;
                    continue;
                }
            }
            if (Character.isDigit(c)) {
                String d = digits(t);
                if (d.length() != t.length() && !t.endsWith(".")) {
                    guessed = true;
                }
                int v;
                try {
                    v = Integer.parseInt(d);
                } catch (NumberFormatException e) {
                    problems.add(ParseProblem.BAD_DATE);
                    return null;
                }
                if (d.length() == 4 && hour >= 0 && offsetMinutes == null && year >= 0) {
                    offsetMinutes = v / 100 * 60 + v % 100; // "0500" without sign
                    guessed = true;
                } else if (d.length() >= 3 || day >= 0 && year < 0) {
                    year = v;
                    yearDigits = d.length();
                } else if (day < 0) {
                    day = v;
                } else {
                    guessed = true;
                }
                continue;
            }
            if (t.equals("pm") || t.equals("p.m.")) {
                pm = true;
                continue;
            }
            if (t.equals("am") || t.equals("a.m.")) {
                am = true;
                continue;
            }
            int m = month(t);
            if (m >= 0 && month < 0) {
                month = m;
                continue;
            }
            if (DAYS.contains(t)) {
                continue;
            }
            Integer zone = ZONES.get(t);
            if (zone != null && offsetMinutes == null) {
                offsetMinutes = zone;
                continue;
            }
            if (t.length() == 1 && Character.isLetter(c) && offsetMinutes == null) {
                offsetMinutes = 0; // military zone: RFC 5322 §4.3 says treat as unknown (-0000)
                continue;
            }
            guessed = true; // an unknown word (or zone such as "H0500")
        }
        if (day < 0 || month < 0 || year < 0) {
            problems.add(ParseProblem.BAD_DATE);
            return null;
        }
        if (yearDigits == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (yearDigits == 3) {
            year += 1900;
        }
        if (hour < 0) {
            hour = 0;
            minute = 0;
            guessed = true;
        }
        if (pm && hour < 12) {
            hour += 12;
        } else if (am && hour == 12) {
            hour = 0;
        }
        if (second == 60) {
            second = 59; // leap second
        }
        if (offsetMinutes == null) {
            offsetMinutes = 0;
            guessed = true;
        }
        if (year < 1900 || year > 2200 || Math.abs(offsetMinutes) > 18 * 60) {
            problems.add(ParseProblem.BAD_DATE);
            return null;
        }
        try {
            Instant instant = LocalDateTime.of(year, month + 1, day, hour, minute, second)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            if (guessed) {
                problems.add(ParseProblem.BAD_DATE);
            }
            return instant;
        } catch (DateTimeException e) {
            problems.add(ParseProblem.BAD_DATE);
            return null;
        }
    }

    private static int month(String t) {
        if (t.length() < 3) {
            return -1;
        }
        String prefix = t.substring(0, 3);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static Integer numericOffset(String t) {
        String d = t.replace(":", "");
        if (d.length() != 4) {
            return null;
        }
        for (int i = 0; i < 4; i++) {
            if (!Character.isDigit(d.charAt(i))) {
                return null;
            }
        }
        int hours = Integer.parseInt(d.substring(0, 2));
        int minutes = Integer.parseInt(d.substring(2));
        if (minutes > 59) {
            return null;
        }
        return hours * 60 + minutes;
    }

    private static String digits(String t) {
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        return i == 0 ? "x" : t.substring(0, i);
    }
}
