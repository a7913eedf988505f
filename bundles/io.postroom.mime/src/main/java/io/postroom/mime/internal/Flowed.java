package io.postroom.mime.internal;

/** Reads text/plain; format=flowed (RFC 3676): soft line breaks joined, space-stuffing removed. */
final class Flowed {
    private Flowed() {
    }

    static String unflow(String text, boolean delsp) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        StringBuilder paragraph = null;
        int paragraphDepth = 0;
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int l = 0; l < count; l++) {
            String line = lines[l];
            int depth = 0;
            while (depth < line.length() && line.charAt(depth) == '>') {
                depth++;
            }
            String content = line.substring(depth);
            if (content.startsWith(" ")) {
                content = content.substring(1); // space-stuffing (or the space after quote marks)
            }
            boolean signature = content.equals("-- ");
            boolean soft = !signature && content.endsWith(" ");
            if (paragraph != null && depth != paragraphDepth) {
                finish(out, paragraph, paragraphDepth);
                paragraph = null;
            }
            if (paragraph == null) {
                paragraph = new StringBuilder();
                paragraphDepth = depth;
            }
            paragraph.append(soft && delsp ? content.substring(0, content.length() - 1) : content);
            if (!soft) {
                finish(out, paragraph, paragraphDepth);
                paragraph = null;
            }
        }
        if (paragraph != null) {
            finish(out, paragraph, paragraphDepth);
        }
        if (out.length() > 0 && !text.endsWith("\n")) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static void finish(StringBuilder out, StringBuilder paragraph, int depth) {
        if (depth > 0) {
            out.append(">".repeat(depth)).append(' ');
        }
        out.append(paragraph).append('\n');
    }
}
