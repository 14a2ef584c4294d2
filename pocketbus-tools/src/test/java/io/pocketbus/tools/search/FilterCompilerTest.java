package io.pocketbus.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PocketBase's filter_test.go scenarios (with our quoting and {@code ?} parameters), and more. */
class FilterCompilerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-02-10T13:14:15.123456789Z"), ZoneOffset.UTC);

    private final FieldResolver resolver = SimpleFieldResolver.of("test1", "test2", "test3", "^test4_\\w+$",
            "^test5\\.[\\w\\.\\:]*\\w+$");

    private Sql compile(String filter) {
        return FilterCompiler.compile(filter, resolver, CLOCK);
    }

    @Test
    void pocketBaseScenarios() {
        assertThat(compile("test1 > 1")).isEqualTo(new Sql("\"test1\" > ?", List.of(1.0)));
        assertThat(compile("'' = null && null != ''")).isEqualTo(Sql.raw("('' = '' AND '' IS NOT '')"));
        assertThat(compile("test1 ~ test2")).isEqualTo(Sql.raw("\"test1\" LIKE ('%' || \"test2\" || '%') ESCAPE '\\'"));
        assertThat(compile("'lorem' ~ test1"))
                .isEqualTo(new Sql("? LIKE ('%' || \"test1\" || '%') ESCAPE '\\'", List.of("lorem")));
        assertThat(compile("test1 ~ 'lorem'")).isEqualTo(new Sql("\"test1\" LIKE ? ESCAPE '\\'", List.of("%lorem%")));
        assertThat(compile("test1 !~ test2"))
                .isEqualTo(Sql.raw("\"test1\" NOT LIKE ('%' || \"test2\" || '%') ESCAPE '\\'"));
        assertThat(compile("test1 !~ 'lorem'"))
                .isEqualTo(new Sql("\"test1\" NOT LIKE ? ESCAPE '\\'", List.of("%lorem%")));
        assertThat(compile("test5.a = test5.b || test5.c != test5.d")).isEqualTo(Sql.raw(
                "(JSON_EXTRACT(\"test5\", '$.a') IS JSON_EXTRACT(\"test5\", '$.b') OR JSON_EXTRACT(\"test5\", '$.c') "
                        + "IS NOT JSON_EXTRACT(\"test5\", '$.d'))"));
        assertThat(compile("((test1 > 1) || (test2 != 2)) && test3 ~ '%%example' && test4_sub = null")).isEqualTo(
                new Sql("((\"test1\" > ? OR \"test2\" IS NOT ?) AND \"test3\" LIKE ? ESCAPE '\\' AND "
                        + "(\"test4_sub\" = '' OR \"test4_sub\" IS NULL))", List.of(1.0, 2.0, "%%example")));
        assertThat(compile("test1=true && test2 != false && null = test3 || null != test4_sub")).isEqualTo(Sql.raw(
                "(\"test1\" = 1 AND \"test2\" IS NOT 0 AND ('' = \"test3\" OR \"test3\" IS NULL) OR "
                        + "('' IS NOT \"test4_sub\" AND \"test4_sub\" IS NOT NULL))"));
        assertThat(compile("(test1 = test2 || test2 != test3) && (test2 ~ 'example' || test2 !~ '%%abc') && "
                + "'switch1%%' ~ test1 && 'switch2' !~ test2 && test3 > 1 && test3 >= 0 && test3 <= 4 && 2 < 5"))
                .isEqualTo(new Sql("((COALESCE(\"test1\", '') = COALESCE(\"test2\", '') OR COALESCE(\"test2\", '') "
                        + "IS NOT COALESCE(\"test3\", '')) AND (\"test2\" LIKE ? ESCAPE '\\' OR \"test2\" NOT LIKE ? "
                        + "ESCAPE '\\') AND ? LIKE ('%' || \"test1\" || '%') ESCAPE '\\' AND ? NOT LIKE ('%' || "
                        + "\"test2\" || '%') ESCAPE '\\' AND \"test3\" > ? AND \"test3\" >= ? AND \"test3\" <= ? AND ? < ?)",
                        List.of("%example%", "%%abc", "switch1%%", "switch2", 1.0, 0.0, 4.0, 2.0, 5.0)));
        assertThat(compile("geoDistance(1,2,3,4) < 567")).isEqualTo(new Sql(
                "(6371 * acos(cos(radians(?)) * cos(radians(?)) * cos(radians(?) - radians(?)) + sin(radians(?)) * "
                        + "sin(radians(?)))) < ?", List.of(2.0, 4.0, 3.0, 1.0, 2.0, 4.0, 567.0)));
    }

    @Test
    void macrosAreUtcValues() {
        Sql sql = compile("test4_a > @now && test4_b > @second && test4_c > @minute && test4_d > @hour && "
                + "test4_e > @day && test4_f > @year && test4_g > @month && test4_h > @weekday && "
                + "test4_i > @todayStart && test4_j > @todayEnd && test4_k > @monthStart && test4_l > @monthEnd && "
                + "test4_m > @yearStart && test4_n > @yearEnd && test4_o > @yesterday && test4_p > @tomorrow");
        assertThat(sql.params()).containsExactly("2024-02-10 13:14:15.123Z", 15L, 14L, 13L, 10L, 2024L, 2L, 6L,
                "2024-02-10 00:00:00.000Z", "2024-02-10 23:59:59.999Z", "2024-02-01 00:00:00.000Z",
                "2024-02-29 23:59:59.999Z", "2024-01-01 00:00:00.000Z", "2024-12-31 23:59:59.999Z",
                "2024-02-09 13:14:15.123Z", "2024-02-11 13:14:15.123Z");
    }

    @Test
    void expressionLimit() {
        FieldResolver any = SimpleFieldResolver.of("^\\w+$");
        assertThat(FilterCompiler.compile("1 = 1", any, CLOCK, 1).params()).hasSize(2);
        assertThatThrownBy(() -> FilterCompiler.compile("1 = 1", any, CLOCK, 0))
                .hasMessage("max filter expressions limit reached");
        FilterCompiler.compile("1 = 1 || 1 = 1", any, CLOCK, 2);
        assertThatThrownBy(() -> FilterCompiler.compile("1 = 1 || 1 = 1", any, CLOCK, 1))
                .hasMessage("max filter expressions limit reached");
        FilterCompiler.compile("(1=1 || 1=1) && (1=1 || (1=1 || 1=1)) && (1=1)", any, CLOCK, 6);
        assertThatThrownBy(() -> FilterCompiler.compile("(1=1 || 1=1) && (1=1 || (1=1 || 1=1)) && (1=1)", any, CLOCK, 5))
                .hasMessage("max filter expressions limit reached");
        String twoHundredOne = "1=1" + " && 1=1".repeat(200);
        assertThatThrownBy(() -> FilterCompiler.compile(twoHundredOne, any))
                .hasMessage("max filter expressions limit reached");
    }

    @Test
    void lengthLimitCountsUtf8Bytes() {
        FilterCompiler.checkLength("a".repeat(3500));
        assertThatThrownBy(() -> FilterCompiler.checkLength("a".repeat(3501))).hasMessage("max filter length limit reached");
        assertThatThrownBy(() -> FilterCompiler.checkLength("é".repeat(1751))).hasMessage("max filter length limit reached");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "abc|%abc%",
            "ab%c|ab%c",
            "ab\\%c|%ab\\%c%",
            "%ab\\%c|%ab\\%c",
            "ab\\\\%c|ab\\\\%c",
            "ab\\\\\\%c|%ab\\\\\\%c%",
            "ab_c|%ab\\_c%",
            "ab\\_c|%ab\\_c%",
            "%ab_c|%ab_c",
            "ab\\c|%ab\\\\c%",
            "_ab\\c_|%\\_ab\\\\c\\_%",
            "ab\\c%|ab\\c%"})
    void likeWrappingAsPocketBase(String value, String expected) {
        assertThat(FilterCompiler.wrapLikeParam(value)).isEqualTo(expected);
    }

    @Test
    void likeWrappingOfOtherValues() {
        assertThat(FilterCompiler.wrapLikeParam("a\nb\\")).isEqualTo("%a\nb\\\\%");
        assertThat(FilterCompiler.wrapLikeParam(1.0)).isEqualTo("%1%");
        assertThat(FilterCompiler.wrapLikeParam(1.5)).isEqualTo("%1.5%");
        assertThat(FilterCompiler.wrapLikeParam(null)).isEqualTo("%%");
        // PocketBase's scan leaves the first of two adjacent special characters unescaped
        assertThat(FilterCompiler.wrapLikeParam("a__b")).isEqualTo("%a_\\_b%");
    }

    @Test
    void equalityFallbacks() {
        // a lone expression with its own OR/AND is parenthesised once more, as PocketBase does
        assertThat(compile("test1 = ''")).isEqualTo(Sql.raw("((\"test1\" = '' OR \"test1\" IS NULL))"));
        assertThat(compile("test1 != ''")).isEqualTo(Sql.raw("((\"test1\" IS NOT '' AND \"test1\" IS NOT NULL))"));
        assertThat(compile("test1 = 'x'")).isEqualTo(new Sql("\"test1\" = ?", List.of("x")));
        assertThat(compile("test1 != 'x'")).isEqualTo(new Sql("\"test1\" IS NOT ?", List.of("x")));
        assertThat(compile("test1 = test2")).isEqualTo(Sql.raw("COALESCE(\"test1\", '') = COALESCE(\"test2\", '')"));
        assertThat(compile("test5.a = ''")).isEqualTo(new Sql("JSON_EXTRACT(\"test5\", '$.a') IS ?", List.of("")));
        assertThat(compile("test5.a = null")).isEqualTo(Sql.raw("JSON_EXTRACT(\"test5\", '$.a') IS NULL"));
        assertThat(compile("test5.0.b = 1")).isEqualTo(new Sql("JSON_EXTRACT(\"test5\", '$[0].b') IS ?", List.of(1.0)));
        assertThat(compile("TRUE = test1")).isEqualTo(Sql.raw("1 = \"test1\""));
        assertThat(compile("Null = test1")).isEqualTo(Sql.raw("(('' = \"test1\" OR \"test1\" IS NULL))"));
    }

    @Test
    void strftime() {
        assertThat(compile("strftime('%Y') = '2024'")).isEqualTo(new Sql("strftime(?) = ?", List.of("%Y", "2024")));
        assertThat(compile("strftime('%Y') = test1"))
                .isEqualTo(new Sql("COALESCE(strftime(?), '') = COALESCE(\"test1\", '')", List.of("%Y")));
        assertThat(compile("strftime('%Y-%m', test1, 'start of month', '+1 day') != ''")).isEqualTo(new Sql(
                "((strftime(?,\"test1\",?,?) IS NOT '' AND strftime(?,\"test1\",?,?) IS NOT NULL))",
                List.of("%Y-%m", "start of month", "+1 day", "%Y-%m", "start of month", "+1 day")));
        assertThatThrownBy(() -> compile("strftime() = 1"))
                .hasMessage("invalid left operand \"strftime\" - [strftime] expected at least 1 arguments, got 0");
        assertThatThrownBy(() -> compile("strftime(test1) = 1"))
                .hasMessage("invalid left operand \"strftime\" - [strftime] expects the first argument to be a format string");
        assertThatThrownBy(() -> compile("strftime('%Y', strftime('%Y')) = 1")).hasMessage(
                "invalid left operand \"strftime\" - [strftime] expects the second argument to be of a valid time-value type");
        assertThatThrownBy(() -> compile("strftime('%Y', test1, 1) = 1")).hasMessage(
                "invalid left operand \"strftime\" - [strftime] invalid modifier argument 0 - can be only string");
        assertThatThrownBy(() -> compile("strftime('a','b','c','d','e','f','g','h','i','j','k') = 1")).hasMessage(
                "invalid left operand \"strftime\" - [strftime] too many arguments (max allowed 10, got 11)");
    }

    @Test
    void geoDistanceErrors() {
        assertThatThrownBy(() -> compile("geoDistance(1,2,3) < 1"))
                .hasMessage("invalid left operand \"geoDistance\" - [geoDistance] expected 4 arguments, got 3");
        assertThatThrownBy(() -> compile("geoDistance(1,2,3,'4') < 1"))
                .hasMessage("invalid left operand \"geoDistance\" - [geoDistance] argument 3 must be an identifier or number");
        assertThatThrownBy(() -> compile("geoDistance(1,2,3,unknown) < 1")).hasMessage(
                "invalid left operand \"geoDistance\" - [geoDistance] failed to resolve argument 3: failed to resolve field \"unknown\"");
        assertThatThrownBy(() -> compile("1 < nope(1)")).hasMessage("invalid right operand \"nope\" - unknown function \"nope\"");
    }

    @Test
    void unknownFieldsAreErrors() {
        assertThatThrownBy(() -> compile("test1 = 'example' && unknown > 1"))
                .hasMessage("invalid left operand \"unknown\" - failed to resolve field \"unknown\"");
        assertThatThrownBy(() -> compile("test1 = @unknownMacro"))
                .hasMessage("invalid right operand \"@unknownMacro\" - failed to resolve field \"@unknownMacro\"");
    }

    @Test
    void valuesAreAlwaysBound() {
        Sql sql = compile("test1 = \"'; DROP TABLE x; --\" || test2 ~ '%' || test3 = 'a\\'b'");
        assertThat(sql.text()).doesNotContain("DROP").doesNotContain("a'b");
        assertThat(sql.params()).containsExactly("'; DROP TABLE x; --", "%", "a'b");
    }

    /** A resolver with one multi-valued path, as a relation field would give. */
    private static final FieldResolver MULTI = field -> switch (field) {
        case "tags.name", "other.name" -> {
            String alias = field.equals("tags.name") ? "__mm_t_tags" : "__mm_t_other";
            MultiMatchSubquery mm = new MultiMatchSubquery("t", "t", "__mm_t",
                    Sql.raw(Sql.quoteColumn(alias + ".name")),
                    List.of(new Join(Sql.raw("\"tags\""), alias, Optional.of(Sql.param("j")))));
            yield ResolverResult.raw(Sql.quoteColumn("t_tags.name")).withMultiMatch(mm);
        }
        case "title" -> ResolverResult.raw("\"t\".\"title\"");
        case "email" -> ResolverResult.raw("\"t\".\"email\"")
                .withAfterBuild(e -> Sql.and(e, Sql.raw("\"t\".\"emailVisibility\" = TRUE")).enclose());
        default -> throw new FilterException("failed to resolve field " + GoQuote.string(field));
    };

    @Test
    void multiMatchNeedsEveryItem() {
        Sql sql = FilterCompiler.compile("tags.name = 'x'", MULTI);
        assertThat(sql.text()).isEqualTo("(((\"t_tags\".\"name\" = ?) AND (NOT EXISTS (SELECT 1 FROM (SELECT "
                + "\"__mm_t_tags\".\"name\" AS \"multiMatchValue\" FROM \"t\" \"__mm_t\" LEFT JOIN \"tags\" "
                + "\"__mm_t_tags\" ON ? WHERE \"__mm_t\".\"id\" = \"t\".\"id\") \"__sm1\" WHERE NOT (\"__sm1\".\"multiMatchValue\" = ?)))))");
        assertThat(sql.params()).containsExactly("x", "j", "x");
    }

    @Test
    void anyOperatorNeedsOneItem() {
        assertThat(FilterCompiler.compile("tags.name ?= 'x'", MULTI)).isEqualTo(new Sql("\"t_tags\".\"name\" = ?", List.of("x")));
        assertThat(FilterCompiler.compile("'x' ?!~ tags.name", MULTI))
                .isEqualTo(new Sql("? NOT LIKE ('%' || \"t_tags\".\"name\" || '%') ESCAPE '\\'", List.of("x")));
    }

    @Test
    void multiMatchOnTheRightAndOnBothSides() {
        Sql right = FilterCompiler.compile("title != tags.name", MULTI);
        assertThat(right.text()).contains("WHERE NOT (COALESCE(\"t\".\"title\", '') IS NOT COALESCE(\"__sm1\".\"multiMatchValue\", ''))");
        Sql both = FilterCompiler.compile("tags.name > other.name", MULTI);
        assertThat(both.text()).contains("\"__ml1\" LEFT JOIN (")
                .contains("WHERE NOT (\"__ml1\".\"multiMatchValue\" > \"__mr1\".\"multiMatchValue\"))");
        assertThat(both.params()).containsExactly("j", "j");
    }

    @Test
    void afterBuildWrapsTheComparison() {
        assertThat(FilterCompiler.compile("email = 'a@b.c'", MULTI)).isEqualTo(new Sql(
                "(((\"t\".\"email\" = ?) AND (\"t\".\"emailVisibility\" = TRUE)))", List.of("a@b.c")));
    }
}
