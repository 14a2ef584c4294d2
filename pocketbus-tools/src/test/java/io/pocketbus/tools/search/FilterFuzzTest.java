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
        int compiled = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                input.append(PIECES[random.nextInt(PIECES.length)]);
            }
            compiled += check(input.toString(), resolver) ? 1 : 0;
        }
        // some pieces line up into valid filters, so both paths are exercised
        assertThat(compiled).isPositive().isLessThan(20_000);
    }

    private static final String[] OPERANDS = {"title", "a.b.c", "'x'", "\"'; DROP TABLE t; --\"", "'%_\\\\x'",
            "'a\\'b'", "-1.5", "null", "TRUE", "@now", "strftime('%Y', title)", "geoDistance(a, b, 1, 2)", "''", "0"};
    private static final String[] OPS = {"=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?>", "?>=", "?<",
            "?<=", "?~", "?!~"};

    @Test
    void randomWellFormedExpressions() {
        Random random = new Random(11L);
        FieldResolver resolver = SimpleFieldResolver.of();
        int compiled = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder input = new StringBuilder();
            int terms = 1 + random.nextInt(6);
            for (int j = 0; j < terms; j++) {
                if (j > 0) {
                    input.append(random.nextBoolean() ? " && " : " || ");
                }
                boolean group = random.nextInt(4) == 0;
                input.append(group ? "(" : "").append(OPERANDS[random.nextInt(OPERANDS.length)]).append(' ')
                        .append(OPS[random.nextInt(OPS.length)]).append(' ')
                        .append(OPERANDS[random.nextInt(OPERANDS.length)]).append(group ? ")" : "");
            }
            compiled += check(input.toString(), resolver) ? 1 : 0;
        }
        assertThat(compiled).isEqualTo(5_000);
    }

    /** Whether the input compiled. */
    private static boolean check(String input, FieldResolver resolver) {
        Sql sql;
        try {
            sql = FilterCompiler.compile(input, resolver);
        } catch (FilterException expected) {
            return false;
        }
        long placeholders = sql.text().chars().filter(c -> c == '?').count();
        assertThat(placeholders).as(input).isEqualTo(sql.params().size());
        assertThat(sql.text()).as(input).doesNotContain("DROP").doesNotContain("--").doesNotContain(";");
        return true;
    }
}
