package io.postroom.testing.mail;

import java.nio.charset.StandardCharsets;

/** Just enough header parsing to find a Message-ID in raw bytes. */
final class Headers {

    private Headers() {
    }

    /** The first Message-ID header's unfolded, trimmed value, or null. */
    static String messageId(byte[] message) {
        return field(message, "message-id");
    }

    /** The first header field of that name (case-insensitive), unfolded and trimmed, or null. */
    static String field(byte[] message, String name) {
        String header = new String(message, 0, headerLength(message), StandardCharsets.UTF_8);
        String[] lines = header.split("\r?\n", -1);
        StringBuilder current = null;
        for (String line : lines) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (current != null) {
                    current.append(line);
                }
                continue;
            }
            if (current != null) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                current = new StringBuilder(line.substring(colon + 1));
            }
        }
        if (current == null) {
            return null;
        }
        String value = current.toString().trim();
        return value.isEmpty() ? null : value;
    }

    private static int headerLength(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                if (i + 1 < message.length && message[i + 1] == '\n') {
                    return i;
                }
                if (i + 2 < message.length && message[i + 1] == '\r' && message[i + 2] == '\n') {
                    return i;
                }
            }
        }
        return message.length;
    }
}
