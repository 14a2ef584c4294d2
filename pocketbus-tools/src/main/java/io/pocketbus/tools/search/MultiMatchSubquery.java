package io.pocketbus.tools.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sub-query behind a multi-valued operand: one row per item, with the item's value as
 * {@code multiMatchValue}, for the rows of {@code fromTable} (aliased {@code fromAlias}) that are the current
 * row of {@code targetAlias}. It lets a plain operator demand that <em>every</em> item matches.
 */
public record MultiMatchSubquery(String targetAlias, String fromTable, String fromAlias, Sql valueIdentifier,
                                 List<Join> joins) {

    public MultiMatchSubquery {
        Objects.requireNonNull(valueIdentifier, "valueIdentifier");
        Sql.quoteName(targetAlias);
        Sql.quoteName(fromTable);
        Sql.quoteName(fromAlias);
        joins = List.copyOf(joins);
    }

    public MultiMatchSubquery withValueIdentifier(Sql value) {
        return new MultiMatchSubquery(targetAlias, fromTable, fromAlias, value, joins);
    }

    public MultiMatchSubquery withJoin(Join join) {
        List<Join> all = new ArrayList<>(joins);
        all.add(join);
        return new MultiMatchSubquery(targetAlias, fromTable, fromAlias, valueIdentifier, all);
    }

    public Sql toSql() {
        List<Sql> parts = new ArrayList<>();
        parts.add(Sql.format("SELECT %s AS \"multiMatchValue\" FROM " + Sql.quoteName(fromTable) + " "
                + Sql.quoteName(fromAlias), valueIdentifier));
        for (Join join : joins) {
            parts.add(join.toSql());
        }
        parts.add(Sql.raw("WHERE " + Sql.quoteColumn(fromAlias + ".id") + " = " + Sql.quoteColumn(targetAlias + ".id")));
        return Sql.join(" ", parts);
    }
}
