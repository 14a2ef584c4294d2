package io.pocketbus.tools.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a filter into its {@link FilterNode} form with PocketBase's (fexpr's) grammar and error messages.
 * Whitespace and {@code //} comments are skipped; a parenthesised group is parsed again from its text.
 */
public final class FilterParser {

    public static final String ERR_EMPTY = "empty filter expression";
    public static final String ERR_INCOMPLETE = "invalid or incomplete filter expression";

    /**
     * Groups nested deeper than this are refused. PocketBase has no such limit, but a 3500 character filter
     * cannot nest deeper than 1749, so only inputs longer than any client filter can reach it.
     */
    public static final int MAX_GROUP_DEPTH = 2000;

    private enum Step { BEFORE_SIGN, SIGN, AFTER_SIGN, JOIN }

    private FilterParser() {
    }

    /** The parsed items; throws {@link FilterException} for invalid or empty input. */
    public static List<FilterNode.Joined> parse(String text) {
        return parse(text, 0);
    }

    private static List<FilterNode.Joined> parse(String text, int depth) {
        if (depth > MAX_GROUP_DEPTH) {
            throw new FilterException("max nested groups limit reached");
        }
        List<FilterNode.Joined> result = new ArrayList<>();
        FilterScanner scanner = new FilterScanner(text);
        Step step = Step.BEFORE_SIGN;
        JoinOp join = JoinOp.AND;
        Token left = null;
        SignOp op = null;

        while (true) {
            Token t = scanner.scan();
            if (t.type() == TokenType.EOF) {
                break;
            }
            if (t.type() == TokenType.WHITESPACE || t.type() == TokenType.COMMENT) {
                continue;
            }
            if (t.type() == TokenType.GROUP) {
                List<FilterNode.Joined> group = parse(t.literal(), depth + 1);
                if (!group.isEmpty()) {
                    result.add(new FilterNode.Joined(join, new FilterNode.Group(group)));
                }
                // as fexpr: a group always completes the current expression slot
                step = Step.JOIN;
                continue;
            }
            switch (step) {
                case BEFORE_SIGN -> {
                    if (!isOperand(t)) {
                        throw new FilterException("expected left operand (identifier, function, text or number), got "
                                + describe(t));
                    }
                    left = t;
                    step = Step.SIGN;
                }
                case SIGN -> {
                    if (t.type() != TokenType.SIGN) {
                        throw new FilterException("expected a sign operator, got " + describe(t));
                    }
                    op = SignOp.fromLiteral(t.literal())
                            .orElseThrow(() -> new FilterException("invalid sign operator " + GoQuote.string(t.literal())));
                    step = Step.AFTER_SIGN;
                }
                case AFTER_SIGN -> {
                    if (!isOperand(t)) {
                        throw new FilterException("expected right operand (identifier, function text or number), got "
                                + describe(t));
                    }
                    result.add(new FilterNode.Joined(join, new FilterNode.Expr(left, op, t)));
                    step = Step.JOIN;
                }
                case JOIN -> {
                    if (t.type() != TokenType.JOIN) {
                        throw new FilterException("expected && or ||, got " + describe(t));
                    }
                    join = t.literal().equals("||") ? JoinOp.OR : JoinOp.AND;
                    step = Step.BEFORE_SIGN;
                }
            }
        }

        if (step != Step.JOIN) {
            if (result.isEmpty() && left == null) {
                throw new FilterException(ERR_EMPTY);
            }
            throw new FilterException(ERR_INCOMPLETE);
        }
        return result;
    }

    private static boolean isOperand(Token t) {
        return t.type() == TokenType.IDENTIFIER || t.type() == TokenType.TEXT || t.type() == TokenType.NUMBER
                || t.type() == TokenType.FUNCTION;
    }

    private static String describe(Token t) {
        return GoQuote.string(t.literal()) + " (" + t.type().word() + ")";
    }
}
