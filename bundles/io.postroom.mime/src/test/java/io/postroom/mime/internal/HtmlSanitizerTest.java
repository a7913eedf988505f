package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.RemoteImages;
import org.junit.jupiter.api.Test;

class HtmlSanitizerTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    private String clean(String html) {
        return parser.sanitizeHtml(html);
    }

    @Test
    void scriptsAndEventHandlersAreRemoved() {
        String out = clean("<p onclick=\"steal()\">Hi<script>alert(1)</script></p>"
                + "<img src=\"cid:logo\" onerror=\"alert(2)\"><svg onload=\"alert(3)\"><circle/></svg>"
                + "<body onload=\"x()\">");
        assertThat(out).doesNotContainIgnoringCase("script").doesNotContain("alert").doesNotContain("onerror")
                .doesNotContain("onclick").doesNotContain("onload").doesNotContain("svg");
        assertThat(out).contains("<p>Hi</p>").contains("<img src=\"cid:logo\">");
    }

    @Test
    void dangerousElementsAreRemovedButTheirTextStays() {
        String out = clean("<iframe src=\"https://evil.example\"></iframe><object data=\"x.swf\"></object>"
                + "<embed src=\"x\"><form action=\"https://evil.example\"><input name=\"password\">Login</form>"
                + "<link rel=\"stylesheet\" href=\"https://evil.example/a.css\"><meta http-equiv=\"refresh\" content=\"0\">"
                + "<base href=\"https://evil.example/\">");
        assertThat(out).doesNotContain("iframe").doesNotContain("object").doesNotContain("embed").doesNotContain("form")
                .doesNotContain("input").doesNotContain("link").doesNotContain("meta").doesNotContain("base")
                .doesNotContain("evil.example").contains("Login");
    }

    @Test
    void linksAreMadeSafe() {
        String out = clean("<a href=\"javascript:alert(1)\">js</a><a href=\"JaVaScRiPt:alert(1)\">js2</a>"
                + "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">data</a><a href=\"vbscript:x\">vb</a>"
                + "<a href=\"https://example.com/page\">ok</a><a href=\"mailto:a@example.com\">mail</a>");
        assertThat(out).doesNotContainIgnoringCase("javascript").doesNotContain("data:").doesNotContain("vbscript");
        assertThat(out).contains("<a href=\"https://example.com/page\" rel=\"noopener noreferrer nofollow\" "
                + "target=\"_blank\">ok</a>");
        assertThat(out).contains("href=\"mailto:a@example.com\"");
        assertThat(out).contains(">js</a>").contains(">data</a>");
    }

    @Test
    void inlineImagesAreKeptRemoteOnesBlocked() {
        String html = "<img src=\"cid:part1.ABC@example.com\" alt=\"logo\">"
                + "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"
                + "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">"
                + "<img src=\"https://tracker.example/pixel.gif?u=1\" width=\"1\" height=\"1\">";
        String out = clean(html);
        assertThat(out).contains("src=\"cid:part1.ABC@example.com\"").contains("src=\"data:image/png;base64,iVBORw0KGgo=\"")
                .doesNotContain("svg+xml")
                .doesNotContain(" src=\"https://tracker.example")
                .contains("data-remote-src=\"https://tracker.example/pixel.gif?u=1\"");

        HtmlSanitizer remove = new HtmlSanitizer(RemoteImages.REMOVE);
        HtmlSanitizer.Result removed = remove.sanitize(html);
        assertThat(removed.html()).doesNotContain("tracker.example");
        assertThat(removed.remoteImagesBlocked()).isTrue();

        HtmlSanitizer.Result allowed = new HtmlSanitizer(RemoteImages.ALLOW).sanitize(html);
        assertThat(allowed.html()).contains("src=\"https://tracker.example/pixel.gif?u=1\"");
        assertThat(allowed.remoteImagesBlocked()).isFalse();
    }

    @Test
    void cssCannotLoadOrRunAnything() {
        String out = clean("<html><head><style>@import url(https://evil.example/x.css); "
                + "body { background: url('https://tracker.example/bg.png'); color: red }"
                + ".x { width: expression(alert(1)); behavior: url(x.htc) }</style></head>"
                + "<body><div style=\"background-image: url(https://tracker.example/a.png); color: blue\">"
                + "<span style=\"background: url(cid:bg)\">text</span></div></body></html>");
        assertThat(out).doesNotContain("@import").doesNotContain("evil.example").doesNotContain("tracker.example")
                .doesNotContain("expression").doesNotContain("behavior");
        assertThat(out).contains("<style>").contains("color: red").contains("color: blue").contains("url(cid:bg)");
    }

    @Test
    void formattingAndTablesStay() {
        String html = "<table border=\"1\" cellpadding=\"2\"><tr><td bgcolor=\"#fff\" colspan=\"2\">"
                + "<font face=\"Arial\" color=\"red\"><b>bold</b> <i>it</i> <u>u</u></font></td></tr></table>"
                + "<blockquote>quoted</blockquote><ul><li>one</li></ul><pre>  pre  </pre><center>c</center>";
        String out = clean(html);
        assertThat(out).contains("<table border=\"1\" cellpadding=\"2\">").contains("colspan=\"2\"")
                .contains("bgcolor=\"#fff\"").contains("<font face=\"Arial\" color=\"red\"><b>bold</b>")
                .contains("<blockquote>quoted</blockquote>").contains("<li>one</li>").contains("<pre>  pre  </pre>")
                .contains("<center>c</center>");
    }

    @Test
    void htmlToTextForSearchAndPreview() {
        String text = parser.htmlToText("<html><head><title>T</title><style>p{}</style></head><body>"
                + "<h1>Title</h1><p>Hello&nbsp;<b>world</b>,</p><ul><li>one</li><li>two</li></ul>"
                + "line<br>break<script>var x;</script><table><tr><td>a</td><td>b</td></tr></table></body></html>");
        assertThat(text).isEqualTo("Title\n\nHello world,\n\n- one\n- two\n\nline\nbreak\n\na b".replace("\n\n", "\n"));
    }

    @Test
    void unclosedOrOddCssUrlsNeverSurvive() {
        String out = clean("<div style=\"background: url(https://tracker.example/a.png\">x</div>"
                + "<div style=\"background: url( 'https://tracker.example/b.png' )\">y</div>"
                + "<div style=\"background: u\\72l(https://tracker.example/c.png)\">z</div>"
                + "<div style=\"background-image: image-set('https://tracker.example/d.png' 1x)\">w</div>");
        assertThat(out).doesNotContain("tracker.example").contains(">x<").contains(">y<").contains(">z<").contains(">w<");
    }

    @Test
    void takingOneCssConstructOutNeverPutsAnotherTogether() {
        HtmlSanitizer sanitizer = new HtmlSanitizer(RemoteImages.BLOCK);
        HtmlSanitizer.Result pixel = sanitizer.sanitize(
                "<div style=\"background:u@charsetrl(/@charset/evil.example/t.png)\">x</div>");
        assertThat(pixel.html()).doesNotContain("evil.example").doesNotContain("url(").contains(">x<");
        assertThat(pixel.remoteImagesBlocked()).as("the user is told a remote image was held back").isTrue();
        String[] hidden = {
            "<style>@imp@charsetort '/@charset/evil.example/x.css';</style><p>a</p>",
            "<div style=\"background-image:image-s@charsetet('/@charset/evil.example/i.png' 1x)\">b</div>",
            "<style>@font-f@charsetace{src:u@namespacerl(/@charset/evil.example/f.woff)}</style><p>c</p>",
            "<div style=\"width:expreexpression(ssion(1)\">d</div>",
            "<div style=\"background:u@charset@charsetr@namespacel(/@charset/@charset/evil.example/n.png)\">e</div>"};
        for (String html : hidden) {
            String out = sanitizer.sanitize(html).html();
            assertThat(out).as(html).doesNotContain("evil.example").doesNotContain("@import")
                    .doesNotContain("expression").doesNotContain("image-set").doesNotContain("@font-face");
        }
        // with remote images allowed, a rebuilt @import is still no way to load a style sheet
        assertThat(new HtmlSanitizer(RemoteImages.ALLOW).sanitize(hidden[0]).html()).doesNotContain("evil.example");
    }

    @Test
    void hostileHtmlDoesNotOverflowTheStack() {
        String deep = "<div>".repeat(50_000) + "bottom" + "</div>".repeat(50_000);
        assertThat(clean(deep)).contains("bottom");
        assertThat(parser.htmlToText(deep)).isEqualTo("bottom");
    }

    @Test
    void oneParseServesTheTextAndTheSanitisedHtml() {
        HtmlSanitizer sanitizer = new HtmlSanitizer(RemoteImages.BLOCK);
        for (String html : java.util.List.of(
                "<html><head><style>p{background:url(http://x/y.png)}</style></head><body><p style=\"color:red\">Hi"
                        + " <a href=\"http://l\">there</a></p><img src=\"http://r/i.png\" style=\"background:url(http://a)\">"
                        + "<ul><li>one</li><li>two</li></ul><script>x()</script></body></html>",
                "<div>" + "<div>".repeat(300) + "deep" + "</div>".repeat(301), "<table><tr><td>a</td><td>b</td></tr></table>")) {
            org.jsoup.nodes.Document once = org.jsoup.Jsoup.parse(html);
            String text = HtmlText.toText(once.body());
            HtmlSanitizer.Result shared = sanitizer.sanitize(once);
            assertThat(text).isEqualTo(HtmlText.toText(html));
            assertThat(shared).isEqualTo(sanitizer.sanitize(html));
        }
    }
}
