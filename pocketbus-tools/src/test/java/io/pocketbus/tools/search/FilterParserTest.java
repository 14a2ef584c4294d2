package io.pocketbus.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** fexpr's parser table: the tree as Go prints it, or an error. */
class FilterParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "> 1", "a >", "a > >", "a > %", "a ! 1", "a - 1", "a + 1", "1 - 1", "1 + 1", "> a 1", "a || 1", "a && 1",
            "test > 1 &&", "|| test = 1", "test = 1 && ||", "test = 1 && a", "test = 1 && \"a\"", "test = 1 a",
            "test = 1 \"a\"", "test = 1@test", "test = .@test",
            "test = \"demo'", "test = 'demo\"", "test = 'demo'\"", "test = 'demo''", "test = \"demo\"'",
            "test = \"demo\"\"", "test = \"\"demo\"\"", "test = ''demo''", "test = `demo`",
            "test = / demo", "test = // demo", "// demo",
            "(a=1", "a=1)", "((a=1)", "{a=1}", "[a=1]", "((a=1 || a=2) && c=1))", "()",
            "", "   ", "a = 1 --", "a = 1; DROP TABLE x", "a = 1 /* x */", "a == 1", "a = 1 & b = 2"})
    void rejects(String input) {
        assertThatThrownBy(() -> FilterParser.parse(input)).isInstanceOf(FilterException.class);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("test = 123 // demo", "[{{{<nil> identifier test} = {<nil> number 123}} &&}]"),
                Arguments.of("test = // demo\n123", "[{{{<nil> identifier test} = {<nil> number 123}} &&}]"),
                Arguments.of("\n\t\t\ta = 123 &&\n\t\t\t// demo\n\t\t\tb = 456\n\t\t",
                        "[{{{<nil> identifier a} = {<nil> number 123}} &&} {{{<nil> identifier b} = {<nil> number 456}} &&}]"),
                Arguments.of("test() = 12", "[{{{[] function test} = {<nil> number 12}} &&}]"),
                Arguments.of("(a.b.c(1) = d.e.f(2)) || 1=2",
                        "[{[{{{[{<nil> number 1}] function a.b.c} = {[{<nil> number 2}] function d.e.f}} &&}] &&} "
                                + "{{{<nil> number 1} = {<nil> number 2}} ||}]"),
                Arguments.of("1=12", "[{{{<nil> number 1} = {<nil> number 12}} &&}]"),
                Arguments.of("   1    =    12    ", "[{{{<nil> number 1} = {<nil> number 12}} &&}]"),
                Arguments.of("\"demo\" != test", "[{{{<nil> text demo} != {<nil> identifier test}} &&}]"),
                Arguments.of("a~1", "[{{{<nil> identifier a} ~ {<nil> number 1}} &&}]"),
                Arguments.of("a !~ 1", "[{{{<nil> identifier a} !~ {<nil> number 1}} &&}]"),
                Arguments.of("test>12", "[{{{<nil> identifier test} > {<nil> number 12}} &&}]"),
                Arguments.of("test >=\"test\"", "[{{{<nil> identifier test} >= {<nil> text test}} &&}]"),
                Arguments.of("test<@demo.test2", "[{{{<nil> identifier test} < {<nil> identifier @demo.test2}} &&}]"),
                Arguments.of("1<=\"te'st\"", "[{{{<nil> number 1} <= {<nil> text te'st}} &&}]"),
                Arguments.of("demo='te\\'st'", "[{{{<nil> identifier demo} = {<nil> text te'st}} &&}]"),
                Arguments.of("demo=\"te\\'st\"", "[{{{<nil> identifier demo} = {<nil> text te\\'st}} &&}]"),
                Arguments.of("demo=\"te\\\"st\"", "[{{{<nil> identifier demo} = {<nil> text te\"st}} &&}]"),
                Arguments.of("(a=1)", "[{[{{{<nil> identifier a} = {<nil> number 1}} &&}] &&}]"),
                Arguments.of("(a=\"test(\")", "[{[{{{<nil> identifier a} = {<nil> text test(}} &&}] &&}]"),
                Arguments.of("(a=\"test)\")", "[{[{{{<nil> identifier a} = {<nil> text test)}} &&}] &&}]"),
                Arguments.of("((a=1))", "[{[{[{{{<nil> identifier a} = {<nil> number 1}} &&}] &&}] &&}]"),
                Arguments.of("a=1 || 2!=3",
                        "[{{{<nil> identifier a} = {<nil> number 1}} &&} {{{<nil> number 2} != {<nil> number 3}} ||}]"),
                Arguments.of("a=1 && 2!=3 || \"b\"=a",
                        "[{{{<nil> identifier a} = {<nil> number 1}} &&} {{{<nil> number 2} != {<nil> number 3}} &&} "
                                + "{{{<nil> text b} = {<nil> identifier a}} ||}]"),
                Arguments.of("((a=1 || a=2) && (c=1))",
                        "[{[{[{{{<nil> identifier a} = {<nil> number 1}} &&} {{{<nil> identifier a} = {<nil> number 2}} ||}] &&} "
                                + "{[{{{<nil> identifier c} = {<nil> number 1}} &&}] &&}] &&}]"),
                Arguments.of("(a='\"')", "[{[{{{<nil> identifier a} = {<nil> text \"}} &&}] &&}]"),
                Arguments.of("(a='\\'')", "[{[{{{<nil> identifier a} = {<nil> text '}} &&}] &&}]"),
                Arguments.of("(a=\"'\")", "[{[{{{<nil> identifier a} = {<nil> text '}} &&}] &&}]"),
                Arguments.of("(a=\"\\\"\")", "[{[{{{<nil> identifier a} = {<nil> text \"}} &&}] &&}]"),
                // as fexpr, a group right after an operand completes the slot and the dangling operand is dropped
                Arguments.of("a (b=1)", "[{[{{{<nil> identifier b} = {<nil> number 1}} &&}] &&}]"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesLikeFexpr(String input, String expected) {
        assertThat(GoFormat.tree(FilterParser.parse(input))).isEqualTo(expected);
    }

    @Test
    void errorMessages() {
        assertThatThrownBy(() -> FilterParser.parse("")).hasMessage("empty filter expression");
        assertThatThrownBy(() -> FilterParser.parse(" // only a comment")).hasMessage("empty filter expression");
        assertThatThrownBy(() -> FilterParser.parse("a =")).hasMessage("invalid or incomplete filter expression");
        assertThatThrownBy(() -> FilterParser.parse("> 1"))
                .hasMessage("expected left operand (identifier, function, text or number), got \">\" (sign)");
        assertThatThrownBy(() -> FilterParser.parse("a b"))
                .hasMessage("expected a sign operator, got \"b\" (identifier)");
        assertThatThrownBy(() -> FilterParser.parse("a = &&"))
                .hasMessage("expected right operand (identifier, function text or number), got \"&&\" (join)");
        assertThatThrownBy(() -> FilterParser.parse("a = 1 b"))
                .hasMessage("expected && or ||, got \"b\" (identifier)");
        assertThatThrownBy(() -> FilterParser.parse("()")).hasMessage("empty filter expression");
    }

    @Test
    void deepGroupsWithinTheLengthLimit() {
        int depth = 1748;
        String filter = "(".repeat(depth) + "a=1" + ")".repeat(depth);
        assertThat(filter.length()).isLessThanOrEqualTo(FilterCompiler.MAX_FILTER_LENGTH);
        assertThat(FilterParser.parse(filter)).hasSize(1);
        String tooDeep = "(".repeat(FilterParser.MAX_GROUP_DEPTH + 1) + "a=1" + ")".repeat(FilterParser.MAX_GROUP_DEPTH + 1);
        assertThatThrownBy(() -> FilterParser.parse(tooDeep)).hasMessage("max nested groups limit reached");
    }
}
