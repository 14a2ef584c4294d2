package io.pocketbus.tools.search;

import java.util.Optional;

/** The comparison operators; the {@code ?} forms are the "any of" variants for multi-valued operands. */
public enum SignOp {
    EQ("="), NEQ("!="), LIKE("~"), NLIKE("!~"), LT("<"), LTE("<="), GT(">"), GTE(">="),
    ANY_EQ("?="), ANY_NEQ("?!="), ANY_LIKE("?~"), ANY_NLIKE("?!~"),
    ANY_LT("?<"), ANY_LTE("?<="), ANY_GT("?>"), ANY_GTE("?>=");

    private final String literal;

    SignOp(String literal) {
        this.literal = literal;
    }

    public String literal() {
        return literal;
    }

    /** Whether this is one of the {@code ?} operators, which match when any item of a multi-valued side does. */
    public boolean isAny() {
        return literal.charAt(0) == '?';
    }

    public static Optional<SignOp> fromLiteral(String literal) {
        for (SignOp op : values()) {
            if (op.literal.equals(literal)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
