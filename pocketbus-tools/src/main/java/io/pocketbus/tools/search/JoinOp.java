package io.pocketbus.tools.search;

/** How an expression joins the one before it. */
public enum JoinOp {
    AND("&&", "AND"), OR("||", "OR");

    private final String literal;
    private final String sql;

    JoinOp(String literal, String sql) {
        this.literal = literal;
        this.sql = sql;
    }

    public String literal() {
        return literal;
    }

    public String sql() {
        return sql;
    }
}
