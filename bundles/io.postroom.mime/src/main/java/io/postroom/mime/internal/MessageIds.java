package io.postroom.mime.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Message ids (RFC 5322 §3.6.4) without angle brackets; white space and comments inside the
 * brackets are removed ({@code <1234   @   local(blah)  .machine .example>}). Values without
 * brackets give their words that contain an {@code @}.
 */
public final class MessageIds {
    private static final int MAX_IDS = 1000;
    private static final int MAX_ID_LENGTH = 998;

    private MessageIds() {
    }

    /** The first id of a value; null when it has none. */
    public static String first(String value) {
        List<String> ids = list(value);
        if (!ids.isEmpty()) {
            return ids.get(0);
        }
        if (value == null) {
            return null;
        }
        // Message-ID without brackets and without "@": keep the whole token
        String id = MimeFields.stripAngle(value);
        return id == null || id.length() > MAX_ID_LENGTH ? null : id;
    }

    /** All ids of a value, in order, without duplicates. */
    public static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        String s = MimeFields.stripComments(value);
        if (s.indexOf('<') >= 0) {
            int pos = 0;
            while (pos < s.length() && ids.size() < MAX_IDS) {
                int lt = s.indexOf('<', pos);
                if (lt < 0) {
                    break;
                }
                int gt = s.indexOf('>', lt + 1);
                int end = gt < 0 ? s.length() : gt;
                add(ids, s.substring(lt + 1, end));
                pos = end + 1;
            }
        } else {
            for (String word : MimeFields.words(s)) {
                if (word.indexOf('@') > 0 && ids.size() < MAX_IDS) {
                    add(ids, word.replace("\"", ""));
                }
            }
        }
        return new ArrayList<>(ids);
    }

    private static void add(Set<String> ids, String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!Character.isWhitespace(c) && c != '<') {
                sb.append(c);
            }
        }
        if (sb.length() > 0 && sb.length() <= MAX_ID_LENGTH) {
            ids.add(sb.toString());
        }
    }
}
