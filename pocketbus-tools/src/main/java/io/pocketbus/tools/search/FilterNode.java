package io.pocketbus.tools.search;

import java.util.List;
import java.util.Objects;

/** The parsed form of a filter: a list of {@link Joined} items, each an expression or a nested group. */
public sealed interface FilterNode {

    /** {@code left op right}. */
    record Expr(Token left, SignOp op, Token right) implements FilterNode {
        public Expr {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(right, "right");
        }
    }

    /** A parenthesised group. */
    record Group(List<Joined> items) implements FilterNode {
        public Group {
            items = List.copyOf(items);
        }
    }

    /** An item and how it joins the previous one (the first item's join is {@code AND} and unused). */
    record Joined(JoinOp join, FilterNode item) {
        public Joined {
            Objects.requireNonNull(join, "join");
            Objects.requireNonNull(item, "item");
        }
    }
}
