package io.pocketbus.tools.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Garbage in: the only failure the filter language may produce is a {@link FilterException}, and whatever
 * compiles keeps every value out of the SQL text.
 */
class FilterFuzzTest {

    private static final String ALPHABET = "abz_@#.:()'\"\\/ \t\n\r=!<>~?&|,-0123456789%*;$éА€😀\u0000\uFFFD";
    private static final String[] PIECES = {"title", "@request.auth.id", "a.b.c", " = ", " != ", " ?~ ", " && ", " || ",
            "(", ")", "'x'", "\"y\"", "1.5", "-2", "null", "true", "geoDistance(1,2,3,4)", "strftime('%Y', a)", "//c\n",
            "@now", "a:each", "a:isset", "'--'", "';DROP TABLE t;--'", "/*", "*/", "\\'", "\"\\\""};

    @Test
    void randomCharacters() {
        Random random = new Random(20260708L);
        FieldResolver resolver = SimpleFieldResolver.of();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                input.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
                        random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
            }
            check(input.toString(), resolver);
        }
    }

    @Test
    void randomPieces() {
        Random random = new Random(7L);
        FieldResolver resolver = SimpleFieldResolver.of();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                input.append(PIECES[random.nextInt(PIECES.length)]);
            }
            check(input.toString(), resolver);
        }
    }

    private static void check(String input, FieldResolver resolver) {
        Sql sql;
        try {
            sql = FilterCompiler.compile(input, resolver);
        } catch (FilterException expected) {
            return;
        }
        long placeholders = sql.text().chars().filter(c -> c == '?').count();
        assertThat(placeholders).as(input).isEqualTo(sql.params().size());
        assertThat(sql.text()).as(input).doesNotContain("DROP").doesNotContain("--").doesNotContain(";");
    }
}
