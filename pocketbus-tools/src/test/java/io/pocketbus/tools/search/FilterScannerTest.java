package io.pocketbus.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** fexpr's scanner table: each token as Go prints it, and whether scanning it failed ({@code !} prefix). */
class FilterScannerTest {

    static Stream<Arguments> scenarios() {
        return Stream.of(
                // whitespace
                Arguments.of("   ", List.of("{<nil> whitespace    }")),
                Arguments.of("test 123", List.of("{<nil> identifier test}", "{<nil> whitespace  }", "{<nil> number 123}")),
                // identifier
                Arguments.of("test", List.of("{<nil> identifier test}")),
                Arguments.of("@", List.of("!{<nil> identifier @}")),
                Arguments.of("test:", List.of("!{<nil> identifier test:}")),
                Arguments.of("test.", List.of("!{<nil> identifier test.}")),
                Arguments.of("@test.123:c", List.of("{<nil> identifier @test.123:c}")),
                Arguments.of("_test_a.123", List.of("{<nil> identifier _test_a.123}")),
                Arguments.of("#test.123:456", List.of("{<nil> identifier #test.123:456}")),
                Arguments.of(".test.123", List.of("!{<nil> unexpected .}", "{<nil> identifier test.123}")),
                Arguments.of(":test.123", List.of("!{<nil> unexpected :}", "{<nil> identifier test.123}")),
                Arguments.of("test#@", List.of("{<nil> identifier test}", "!{<nil> identifier #}", "!{<nil> identifier @}")),
                Arguments.of("test'", List.of("{<nil> identifier test}", "!{<nil> text '}")),
                Arguments.of("test\"d", List.of("{<nil> identifier test}", "!{<nil> text \"d}")),
                // number
                Arguments.of("123", List.of("{<nil> number 123}")),
                Arguments.of("-123", List.of("{<nil> number -123}")),
                Arguments.of("-123.456", List.of("{<nil> number -123.456}")),
                Arguments.of("123.456", List.of("{<nil> number 123.456}")),
                Arguments.of("12.34.56", List.of("{<nil> number 12.34}", "!{<nil> unexpected .}", "{<nil> number 56}")),
                Arguments.of(".123", List.of("!{<nil> unexpected .}", "{<nil> number 123}")),
                Arguments.of("- 123", List.of("!{<nil> number -}", "{<nil> whitespace  }", "{<nil> number 123}")),
                Arguments.of("12-3", List.of("{<nil> number 12}", "{<nil> number -3}")),
                Arguments.of("123.abc", List.of("!{<nil> number 123.}", "{<nil> identifier abc}")),
                // text
                Arguments.of("\"\"", List.of("{<nil> text }")),
                Arguments.of("''", List.of("{<nil> text }")),
                Arguments.of("'test'", List.of("{<nil> text test}")),
                Arguments.of("'te\\'st'", List.of("{<nil> text te'st}")),
                Arguments.of("\"te\\\"st\"", List.of("{<nil> text te\"st}")),
                Arguments.of("\"tes@#,;!@#%^'\\\"t\"", List.of("{<nil> text tes@#,;!@#%^'\"t}")),
                Arguments.of("'tes@#,;!@#%^\\'\"t'", List.of("{<nil> text tes@#,;!@#%^'\"t}")),
                Arguments.of("\"test", List.of("!{<nil> text \"test}")),
                Arguments.of("'test", List.of("!{<nil> text 'test}")),
                Arguments.of("'АБЦ", List.of("!{<nil> text 'АБЦ}")),
                // join types
                Arguments.of("&&||", List.of("!{<nil> join &&||}")),
                Arguments.of("&& ||", List.of("{<nil> join &&}", "{<nil> whitespace  }", "{<nil> join ||}")),
                Arguments.of("'||test&&'&&123", List.of("{<nil> text ||test&&}", "{<nil> join &&}", "{<nil> number 123}")),
                // signs
                Arguments.of("=!=", List.of("!{<nil> sign =!=}")),
                // comments
                Arguments.of("/ test", List.of("!{<nil> comment }", "{<nil> identifier test}")),
                Arguments.of("/ / test", List.of("!{<nil> comment }", "!{<nil> comment }", "{<nil> identifier test}")),
                Arguments.of("//", List.of("{<nil> comment }")),
                Arguments.of("//test", List.of("{<nil> comment test}")),
                Arguments.of("// test", List.of("{<nil> comment test}")),
                Arguments.of("//   test1 //test2  ", List.of("{<nil> comment test1 //test2}")),
                Arguments.of("///test", List.of("{<nil> comment /test}")),
                // functions
                Arguments.of("test()", List.of("{[] function test}")),
                Arguments.of("test(a, b", List.of("!{[{<nil> identifier a} {<nil> identifier b}] function test}")),
                Arguments.of("@test:abc()", List.of("{[] function @test:abc}")),
                Arguments.of("test(  a  )", List.of("{[{<nil> identifier a}] function test}")),
                Arguments.of("test(a, b)", List.of("{[{<nil> identifier a} {<nil> identifier b}] function test}")),
                Arguments.of("test(a, b,  )", List.of("{[{<nil> identifier a} {<nil> identifier b}] function test}")),
                Arguments.of("test(a,,)", List.of("!{[{<nil> identifier a}] function test}", "!{<nil> unexpected )}")),
                Arguments.of("test(a,,,b)", List.of("!{[{<nil> identifier a}] function test}", "!{<nil> unexpected ,}",
                        "{<nil> identifier b}", "!{<nil> unexpected )}")),
                Arguments.of("test(   @test.a.b:test  , 123, \"ab)c\", 'd,ce', false)", List.of(
                        "{[{<nil> identifier @test.a.b:test} {<nil> number 123} {<nil> text ab)c} {<nil> text d,ce} {<nil> identifier false}] function test}")),
                Arguments.of("test(a //test)", List.of("!{[{<nil> identifier a}] function test}")),
                Arguments.of("test(a //test\n)", List.of("{[{<nil> identifier a}] function test}")),
                Arguments.of("test(a, //test\n, b)", List.of("!{[{<nil> identifier a}] function test}",
                        "{<nil> whitespace  }", "{<nil> identifier b}", "!{<nil> unexpected )}")),
                Arguments.of("test(a, //test\n b)", List.of("{[{<nil> identifier a} {<nil> identifier b}] function test}")),
                Arguments.of("test(a, test(test(b), c), d)", List.of(
                        "{[{<nil> identifier a} {[{[{<nil> identifier b}] function test} {<nil> identifier c}] function test} {<nil> identifier d}] function test}")),
                // function depth
                Arguments.of("a(b(c(1)))", List.of("{[{[{[{<nil> number 1}] function c}] function b}] function a}")),
                Arguments.of("a(b(c(d(1))))", List.of("!{[] function a}", "{<nil> number 1}", "!{<nil> unexpected )}",
                        "!{<nil> unexpected )}", "!{<nil> unexpected )}", "!{<nil> unexpected )}")),
                // groups
                Arguments.of("a)", List.of("{<nil> identifier a}", "!{<nil> unexpected )}")),
                Arguments.of("(a b c", List.of("!{<nil> group a b c}")),
                Arguments.of("(a b c)", List.of("{<nil> group a b c}")),
                Arguments.of("((a b c))", List.of("{<nil> group (a b c)}")),
                Arguments.of("((a )b c))", List.of("{<nil> group (a )b c}", "!{<nil> unexpected )}")),
                Arguments.of("(\"ab)(\"c)", List.of("{<nil> group \"ab)(\"c}")),
                Arguments.of("(\"ab)(c)", List.of("!{<nil> group \"ab)(c)}")),
                Arguments.of("( func(1, 2, 3, func(4)) a b c )", List.of("{<nil> group  func(1, 2, 3, func(4)) a b c }")),
                // a multi-byte rune after an identifier is read again from its second byte, as fexpr does
                Arguments.of("aé", List.of("{<nil> identifier a}", "!{<nil> unexpected \uFFFD}")),
                Arguments.of("'é'", List.of("{<nil> text é}")));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void scansLikeFexpr(String input, List<String> expected) {
        FilterScanner scanner = new FilterScanner(input);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            FilterScanner.Scanned s = scanner.next();
            actual.add((s.error() == null ? "" : "!") + GoFormat.token(s.token()));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        FilterScanner.Scanned last = scanner.next();
        assertThat(last.error()).isNull();
        assertThat(last.token().type()).isEqualTo(TokenType.EOF);
    }

    @Test
    void allSignOperators() {
        FilterScanner scanner = new FilterScanner("= != ~ !~ > >= < <= ?= ?!= ?~ ?!~ ?> ?>= ?< ?<=");
        List<String> signs = new ArrayList<>();
        for (Token t = scanner.scan(); t.type() != TokenType.EOF; t = scanner.scan()) {
            if (t.type() == TokenType.SIGN) {
                signs.add(t.literal());
            }
        }
        assertThat(signs).containsExactly("=", "!=", "~", "!~", ">", ">=", "<", "<=", "?=", "?!=", "?~", "?!~", "?>",
                "?>=", "?<", "?<=");
        assertThat(signs).allSatisfy(s -> assertThat(SignOp.fromLiteral(s)).isPresent());
    }

    @Test
    void errorMessagesAreFexprs() {
        assertThatThrownBy(() -> new FilterScanner("%").scan()).hasMessage("unexpected character '%'");
        assertThatThrownBy(() -> new FilterScanner("\r").scan()).hasMessage("unexpected character '\\r'");
        assertThatThrownBy(() -> new FilterScanner("'abc").scan()).hasMessage("invalid quoted text \"'abc\"");
        assertThatThrownBy(() -> new FilterScanner("--1").scan()).hasMessage("invalid number \"-\"");
        assertThatThrownBy(() -> new FilterScanner("a.").scan()).hasMessage("invalid identifier \"a.\"");
        assertThatThrownBy(() -> new FilterScanner("=>").scan()).hasMessage("invalid sign operator \"=>\"");
        assertThatThrownBy(() -> new FilterScanner("&").scan()).hasMessage("invalid join operator \"&\"");
        assertThatThrownBy(() -> new FilterScanner("/*").scan()).hasMessage("invalid comment");
        assertThatThrownBy(() -> new FilterScanner("((a)").scan())
                .hasMessage("invalid formatted group - missing 1 closing bracket(s)");
        assertThatThrownBy(() -> new FilterScanner("a(b(c(d(1))))").scan())
                .hasMessage("invalid identifier argument \"b\" in function \"a\": invalid identifier argument \"c\" in "
                        + "function \"b\": invalid identifier argument \"d\" in function \"c\": max nested function "
                        + "arguments reached (max: 3)");
        assertThatThrownBy(() -> new FilterScanner("f(a b)").scan())
                .hasMessage("expected comma after the last argument in function \"f\"");
        assertThatThrownBy(() -> new FilterScanner("f(,a)").scan()).hasMessage("unexpected comma in function \"f\"");
        assertThatThrownBy(() -> new FilterScanner("f(a").scan())
                .hasMessage("invalid or incomplete function \"f\" (expected ')')");
        assertThatThrownBy(() -> new FilterScanner("f(=)").scan())
                .hasMessage("unsupported argument character '=' in function \"f\"");
        assertThatThrownBy(() -> new FilterScanner("f('a)").scan())
                .hasMessage("invalid text argument \"'a)\" in function \"f\": invalid quoted text \"'a)\"");
        assertThatThrownBy(() -> new FilterScanner("a.(1)").scan()).hasMessage("invalid function name \"a.\"");
        // a NUL byte ends the input, as in fexpr, so a text cannot smuggle one in
        assertThatThrownBy(() -> new FilterScanner("'a\u0000b'").scan()).hasMessage("invalid quoted text \"'a\"");
    }
}
