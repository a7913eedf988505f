package io.postroom.mime.internal;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/** Plain text of HTML for search and previews: blocks become lines, lists get dashes, no markup. */
public final class HtmlText {
    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table",
            "tr", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "section", "article", "header", "footer",
            "address", "center", "form", "fieldset", "main", "nav", "figure", "figcaption", "details", "summary",
            "caption", "tbody", "thead", "tfoot", "body", "li");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "noscript", "template",
            "object", "iframe", "svg", "math");

    private HtmlText() {
    }

    public static String toText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        return toText(Jsoup.parse(html).body());
    }

    /** Plain text of a parsed body (read only: the document can be sanitised afterwards). */
    static String toText(Element body) {
        StringBuilder out = new StringBuilder(256);
        NodeTraversor.traverse(new NodeVisitor() {
            private int skip;
            private int pre;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e) {
                    String name = e.normalName();
                    if (SKIPPED.contains(name)) {
                        skip++;
                        return;
                    }
                    if (skip > 0) {
                        return;
                    }
                    if (name.equals("pre")) {
                        pre++;
                    }
                    if (name.equals("br")) {
                        out.append('\n');
                    } else if (BLOCKS.contains(name)) {
                        newline(out);
                        if (name.equals("li")) {
                            out.append("- ");
                        }
                    } else if ((name.equals("td") || name.equals("th")) && e.elementSiblingIndex() > 0) {
                        out.append(' ');
                    }
                } else if (node instanceof TextNode t && skip == 0) {
                    if (pre > 0) {
                        out.append(t.getWholeText());
                    } else {
                        String text = t.text();
                        boolean lineStart = out.length() == 0 || out.charAt(out.length() - 1) == '\n';
                        char last = out.length() == 0 ? '\n' : out.charAt(out.length() - 1);
                        if (lineStart || last == ' ') {
                            text = text.stripLeading();
                        }
                        out.append(text);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    String name = e.normalName();
                    if (SKIPPED.contains(name)) {
                        skip--;
                        return;
                    }
                    if (skip > 0) {
                        return;
                    }
                    if (name.equals("pre")) {
                        pre--;
                    }
                    if (BLOCKS.contains(name)) {
                        newline(out);
                    }
                }
            }
        }, body);
        return tidy(out.toString());
    }

    private static void newline(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    /** No trailing spaces, no more than one blank line in a row, no-break spaces as spaces. */
    private static String tidy(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int blank = 0;
        for (String line : s.replace('\u00A0', ' ').split("\n", -1)) {
            String l = line.stripTrailing();
            if (l.isEmpty()) {
                if (++blank > 1) {
                    continue;
                }
            } else {
                blank = 0;
            }
            out.append(l).append('\n');
        }
        return out.toString().strip();
    }
}
