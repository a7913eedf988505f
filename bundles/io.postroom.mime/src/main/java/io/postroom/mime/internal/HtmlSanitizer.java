package io.postroom.mime.internal;

import io.postroom.mime.RemoteImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.nodes.Node;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeTraversor;

/**
 * Sanitises HTML mail with jsoup's {@link Cleaner} and an allow-list made for mail: formatting,
 * tables, images, links and {@code <style>} blocks stay; scripts, event handlers, frames, forms,
 * objects, {@code <link>}, {@code <meta>}, {@code <base>} and unknown elements go (their text stays).
 * Links may only be http, https, mailto or tel, and get {@code rel="noopener noreferrer nofollow"}
 * and {@code target="_blank"}. Images may be {@code cid:} (kept), {@code data:image/...} (kept) or
 * remote (see {@link RemoteImages}). CSS loses {@code @import}, {@code expression()},
 * {@code behavior}, {@code -moz-binding}, {@code javascript:} and remote {@code url()} references.
 *
 * <p>The result is the body content. Its CSS is not scoped: show it inside a sandboxed frame
 * ({@code <iframe sandbox srcdoc=...>}), never inline in the application page.
 */
public final class HtmlSanitizer {
    private static final Pattern CSS_URL = Pattern.compile("(?i)url\\s*\\(\\s*(['\"]?)([^)'\"]{0,8192})\\1\\s*\\)");
    private static final Pattern CSS_URL_LEFT = Pattern.compile("(?i)url\\s*\\(");
    private static final Pattern CSS_IMPORT = Pattern.compile("(?i)@import[^;]*;?");
    private static final Pattern CSS_DANGEROUS = Pattern.compile(
            "(?i)expression\\s*\\(|javascript\\s*:|vbscript\\s*:|behavior\\s*:|-moz-binding|@charset|@namespace"
                    + "|image-set\\s*\\(|@font-face");
    private static final Pattern CSS_ESCAPES = Pattern.compile("\\\\[0-9a-fA-F]{1,6}\\s?|\\\\.|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern DATA_IMAGE = Pattern.compile("(?i)^data:image/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\\s]*$");
    private static final Pattern REMOTE_ADDRESS = Pattern.compile("(?i)(?:https?:)?//[^\\s'\"()<>;{}]*");
    private static final String REMOTE_SRC = "data-remote-src";
    private static final int MAX_DEPTH = 256;
    private static final int MAX_CSS_ROUNDS = 8;

    private final RemoteImages remoteImages;
    private final Safelist safelist; // read-only after construction: shared by all threads

    public HtmlSanitizer(RemoteImages remoteImages) {
        this.remoteImages = remoteImages;
        this.safelist = safelist();
    }

    /** The outcome: the safe body content, and whether remote images were blocked or removed. */
    public record Result(String html, boolean remoteImagesBlocked) {
    }

    public Result sanitize(String html) {
        if (html == null || html.isBlank()) {
            return new Result("", false);
        }
        return sanitize(Jsoup.parse(html));
    }

    /**
     * Sanitises a document parsed with {@link Jsoup#parse(String)} from non-blank HTML (so that
     * one parse serves {@link HtmlText} too). The document is changed: use it for nothing else after.
     */
    Result sanitize(Document dirty) {
        flatten(dirty.body());
        // style sheets in <head> apply to the body: keep them with it
        for (Element style : dirty.head().select("style")) {
            dirty.body().prependChild(style.clone());
        }
        Document clean = new Cleaner(safelist).clean(dirty);
        clean.outputSettings().prettyPrint(false).charset("UTF-8").escapeMode(Entities.EscapeMode.base);
        boolean blocked = false;
        // one walk over the clean tree collects what the four steps below change (in document order)
        List<Element> links = new ArrayList<>();
        List<Element> images = new ArrayList<>();
        List<Element> styled = new ArrayList<>();
        List<Element> styles = new ArrayList<>();
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if ((tag.equals("a") || tag.equals("area")) && e.hasAttr("href")) {
                    links.add(e);
                } else if (tag.equals("img")) {
                    images.add(e);
                } else if (tag.equals("style")) {
                    styles.add(e);
                }
                if (e.hasAttr("style")) {
                    styled.add(e);
                }
            }
        }, clean.body());
        for (Element a : links) {
            a.attr("rel", "noopener noreferrer nofollow");
            a.attr("target", "_blank");
        }
        for (Element img : images) {
            String src = img.attr("src").strip();
            String lower = src.toLowerCase(Locale.ROOT);
            if (lower.startsWith("cid:") || DATA_IMAGE.matcher(src).matches()) {
                continue;
            }
            if (lower.startsWith("http:") || lower.startsWith("https:")) {
                blocked |= remoteImages != RemoteImages.ALLOW;
                switch (remoteImages) {
                    case ALLOW -> {
                    }
                    case REMOVE -> img.remove();
                    default -> {
                        img.removeAttr("src");
                        img.attr(REMOTE_SRC, src);
                    }
                }
                continue;
            }
            img.removeAttr("src");
        }
        for (Element e : styled) {
            if (e.parent() == null && e != clean.body()) {
                continue; // a remote image removed above
            }
            Css css = cleanCss(e.attr("style"));
            blocked |= css.remote();
            if (css.text().isBlank()) {
                e.removeAttr("style");
            } else {
                e.attr("style", css.text());
            }
        }
        for (Element style : styles) {
            StringBuilder sheet = new StringBuilder();
            for (Node child : style.childNodes()) {
                if (child instanceof DataNode data) {
                    sheet.append(data.getWholeData());
                }
            }
            Css css = cleanCss(sheet.toString());
            String cleaned = css.text();
            blocked |= css.remote();
            style.empty();
            if (cleaned.isBlank()) {
                style.remove();
            } else {
                style.appendChild(new DataNode(cleaned));
            }
        }
        return new Result(clean.body().html(), blocked);
    }

    /**
     * Unwraps elements nested deeper than {@link #MAX_DEPTH}: real mail never nests that deep, and
     * cleaning a deeply nested tree costs time quadratic in its depth.
     */
    private static void flatten(Element body) {
        List<Element> tooDeep = new ArrayList<>();
        NodeTraversor.traverse((node, depth) -> {
            if (depth > MAX_DEPTH && node instanceof Element e) {
                tooDeep.add(e);
            }
        }, body);
        for (int i = tooDeep.size() - 1; i >= 0; i--) {
            tooDeep.get(i).unwrap();
        }
    }

    private boolean hasRemoteUrl(String css) {
        if (remoteImages == RemoteImages.ALLOW) {
            return false;
        }
        Matcher m = CSS_URL.matcher(css);
        while (m.find()) {
            String target = m.group(2).strip().toLowerCase(Locale.ROOT);
            if (!target.startsWith("cid:") && !target.startsWith("data:")) {
                return true;
            }
        }
        return false;
    }

    /** Cleaned CSS, and whether a remote reference was taken out of it (per policy). */
    record Css(String text, boolean remote) {
    }

    /**
     * CSS with dangerous constructs removed and remote url() references dropped per policy, cleaned
     * again until nothing changes: taking one construct out must not put another together (as
     * {@code u@charsetrl(} would become {@code url(}). CSS that still changes after
     * {@value #MAX_CSS_ROUNDS} rounds is built to hide something and is dropped whole.
     */
    Css cleanCss(String css) {
        String s = css;
        boolean remote = false;
        for (int round = 0; round < MAX_CSS_ROUNDS; round++) {
            remote |= hasRemoteUrl(s);
            String next = cleanCssOnce(s);
            if (next.equals(s)) {
                return new Css(next, remote);
            }
            s = next;
        }
        return new Css("", remote || remoteImages != RemoteImages.ALLOW);
    }

    private String cleanCssOnce(String css) {
        String s = CSS_ESCAPES.matcher(css).replaceAll(""); // escapes and comments hide keywords
        s = s.replace("<", "").replace(">", "");
        s = CSS_IMPORT.matcher(s).replaceAll("");
        Matcher m = CSS_URL.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String target = m.group(2).strip();
            String lower = target.toLowerCase(Locale.ROOT);
            boolean keep = lower.startsWith("cid:") || DATA_IMAGE.matcher(target).matches()
                    || remoteImages == RemoteImages.ALLOW && (lower.startsWith("https:") || lower.startsWith("http:"));
            m.appendReplacement(out, keep ? Matcher.quoteReplacement(m.group()) : "none");
        }
        m.appendTail(out);
        s = out.toString();
        // a url( the pattern did not take (unclosed, odd quoting) must not reach a browser
        String replaced = s;
        s = CSS_URL_LEFT.matcher(replaced).replaceAll(match -> keepUrl(replaced, match) ? match.group() : "none(");
        if (remoteImages != RemoteImages.ALLOW) {
            s = REMOTE_ADDRESS.matcher(s).replaceAll(""); // whatever construct still names a remote address
        }
        if (CSS_DANGEROUS.matcher(s).find()) {
            s = CSS_DANGEROUS.matcher(s).replaceAll("");
        }
        return s.strip();
    }

    /** Whether the url( at this match is one {@link #CSS_URL} already accepted (cid:, data:image). */
    private boolean keepUrl(String css, java.util.regex.MatchResult match) {
        Matcher full = CSS_URL.matcher(css).region(match.start(), css.length());
        if (!full.lookingAt()) {
            return false;
        }
        String target = full.group(2).strip().toLowerCase(Locale.ROOT);
        return target.startsWith("cid:") || target.startsWith("data:image/")
                || remoteImages == RemoteImages.ALLOW && (target.startsWith("https:") || target.startsWith("http:"));
    }

    private static Safelist safelist() {
        Safelist s = Safelist.relaxed()
                .addTags("font", "center", "hr", "s", "del", "ins", "abbr", "address", "big", "tt", "style",
                        "section", "article", "header", "footer", "main", "nav", "figure", "figcaption", "mark",
                        "wbr", "bdi", "bdo", "kbd", "samp", "var", "time", "details", "summary", "map", "area",
                        "label", "legend", "fieldset", "acronym", "dfn", "nobr", "picture")
                .addAttributes(":all", "style", "class", "dir", "lang", "title", "align", "valign", "width",
                        "height", "bgcolor", "color", "border", "role", "aria-label", "aria-hidden")
                .addAttributes("font", "face", "size", "color")
                .addAttributes("table", "cellpadding", "cellspacing", "frame", "rules", "summary")
                .addAttributes("td", "nowrap", "abbr", "axis", "headers", "scope")
                .addAttributes("th", "nowrap", "abbr", "axis", "headers", "scope")
                .addAttributes("img", "alt", "hspace", "vspace", "usemap")
                .addAttributes("map", "name")
                .addAttributes("area", "shape", "coords", "href", "alt")
                .addAttributes("hr", "size", "noshade")
                .addAttributes("ol", "start", "type", "reversed")
                .addAttributes("ul", "type")
                .addAttributes("li", "value", "type")
                .addAttributes("bdo", "dir")
                .addProtocols("a", "href", "http", "https", "mailto", "tel")
                .addProtocols("area", "href", "http", "https", "mailto", "tel")
                .addProtocols("img", "src", "http", "https", "cid", "data");
        s.removeProtocols("a", "href", "ftp");
        return s;
    }
}
