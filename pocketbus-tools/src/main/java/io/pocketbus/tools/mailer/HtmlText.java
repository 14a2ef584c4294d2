package io.pocketbus.tools.mailer;

import java.util.regex.Pattern;

/** A readable plain-text rendering of a simple HTML mail body (for the text/plain alternative). */
final class HtmlText {
    private static final Pattern HEAD = Pattern.compile("(?is)<(head|style|script)[^>]*>.*?</\\1>");
    private static final Pattern LINK = Pattern.compile("(?is)<a\\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</h[1-6]>|</li>|</tr>");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t]*(\\n[ \\t]*)+");

    private HtmlText() {
    }

    static String toText(String html) {
        String s = HEAD.matcher(html).replaceAll("");
        // keep link targets: mails carry their action (verify, reset) in them
        s = LINK.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(2) + " " + m.group(1)));
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#34;", "\"").replace("&amp;", "&");
        s = BLANK_LINES.matcher(s).replaceAll("\n\n");
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            out.append(line.strip()).append('\n');
        }
        return out.toString().strip();
    }
}
