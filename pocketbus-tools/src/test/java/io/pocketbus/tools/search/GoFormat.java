package io.pocketbus.tools.search;

import java.util.List;
import java.util.stream.Collectors;

/** Prints tokens and parse trees as Go's {@code %v} prints fexpr's, so fexpr's own test tables can be reused. */
final class GoFormat {

    private GoFormat() {
    }

    static String token(Token t) {
        String meta = t.type() == TokenType.FUNCTION
                ? t.args().stream().map(GoFormat::token).collect(Collectors.joining(" ", "[", "]"))
                : "<nil>";
        return "{" + meta + " " + t.type().word() + " " + t.literal() + "}";
    }

    static String tree(List<FilterNode.Joined> items) {
        return items.stream().map(GoFormat::joined).collect(Collectors.joining(" ", "[", "]"));
    }

    private static String joined(FilterNode.Joined j) {
        String item = switch (j.item()) {
            case FilterNode.Expr e -> "{" + token(e.left()) + " " + e.op().literal() + " " + token(e.right()) + "}";
            case FilterNode.Group g -> tree(g.items());
        };
        return "{" + item + " " + j.join().literal() + "}";
    }
}
