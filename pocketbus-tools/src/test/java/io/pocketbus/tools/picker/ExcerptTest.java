package io.pocketbus.tools.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExcerptTest {
    // PocketBase's own excerpt test input
    private static final String HTML = " <script>var a = 123;</script>   <p>Hello</p><div id=\"test_id\">t   est<b>12\n"
            + "3</b><span>456</span></div><span>word <b>7</b> 89<span>!<b>?</b><b> a </b><b>b </b>c</span>#"
            + "<h1>title</h1>";
    private static final String PLAIN = "Hello t est12 3456 word 7 89!? a b c# title";

    @Test
    void stripsHtmlLikePocketBase() {
        assertThat(Excerpt.of(1000, false).apply(HTML)).isEqualTo(PLAIN);
        assertThat(Excerpt.of(PLAIN.length(), true).apply(HTML)).isEqualTo(PLAIN);
        assertThat(Excerpt.of(2, false).apply(HTML)).isEqualTo("He");
        assertThat(Excerpt.of(2, true).apply(HTML)).isEqualTo("He...");
    }

    @Test
    void countsCharactersNotBytes() {
        assertThat(Excerpt.of(4, true).apply("аб\nв ")).isEqualTo("аб в");
        assertThat(Excerpt.of(3, true).apply("аб\nв ")).isEqualTo("аб...");
    }

    @Test
    void skipsNonContentElementsAndDecodesEntities() {
        assertThat(Excerpt.of(100, false).apply("<form><input name=a>x</form><p>a &amp; b&#33;</p><!-- c -->"
                + "<svg><svg></svg>hidden</svg>end<img src=x>"))
                .isEqualTo("a & b! end");
    }

    @Test
    void readsArgumentsAsPocketBaseCastsThem() {
        assertThat(Excerpt.of(List.of("3", "something")).apply("abcdef")).isEqualTo("abc");
        assertThat(Excerpt.of(List.of("3", "t")).apply("abcdef")).isEqualTo("abc...");
    }
}
