package io.pocketbus.tools.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A small mutable SELECT builder that field resolvers and the search provider add to. Every piece is an
 * {@link Sql} fragment, so the built statement carries its parameters in placeholder order.
 */
public final class SelectQuery {

    private final String from;
    private final String fromAlias;
    private Optional<Sql> prefix = Optional.empty();
    private final List<Sql> selects = new ArrayList<>();
    private boolean distinct;
    private final List<Join> joins = new ArrayList<>();
    private final List<Sql> wheres = new ArrayList<>();
    private final List<Sql> orderBy = new ArrayList<>();
    private Optional<Long> limit = Optional.empty();
    private Optional<Long> offset = Optional.empty();

    private SelectQuery(String from, String fromAlias) {
        this.from = from;
        this.fromAlias = fromAlias;
    }

    /** {@code SELECT ... FROM "table"}. */
    public static SelectQuery from(String table) {
        Sql.quoteName(table);
        return new SelectQuery(table, table);
    }

    /** {@code SELECT ... FROM "table" "alias"}. */
    public static SelectQuery from(String table, String alias) {
        Sql.quoteName(table);
        Sql.quoteName(alias);
        return new SelectQuery(table, alias);
    }

    public SelectQuery copy() {
        SelectQuery q = new SelectQuery(from, fromAlias);
        q.prefix = prefix;
        q.selects.addAll(selects);
        q.distinct = distinct;
        q.joins.addAll(joins);
        q.wheres.addAll(wheres);
        q.orderBy.addAll(orderBy);
        q.limit = limit;
        q.offset = offset;
        return q;
    }

    /** The table name of the FROM clause. */
    public String fromTable() {
        return from;
    }

    /** The name the FROM table goes by in the query (its alias, or its name). */
    public String fromAlias() {
        return fromAlias;
    }

    /** Text placed before SELECT, such as a {@code WITH} clause. */
    public SelectQuery prefix(Sql sql) {
        this.prefix = Optional.of(sql);
        return this;
    }

    /** Replaces the select list. */
    public SelectQuery select(Sql... columns) {
        selects.clear();
        selects.addAll(List.of(columns));
        return this;
    }

    public SelectQuery distinct(boolean value) {
        this.distinct = value;
        return this;
    }

    public boolean isDistinct() {
        return distinct;
    }

    public SelectQuery leftJoin(Join join) {
        joins.add(Objects.requireNonNull(join));
        return this;
    }

    public List<Join> joins() {
        return List.copyOf(joins);
    }

    /** ANDs a condition to the WHERE clause; an empty condition is ignored. */
    public SelectQuery andWhere(Sql condition) {
        if (!condition.isEmpty()) {
            wheres.add(condition);
        }
        return this;
    }

    public SelectQuery andOrderBy(Sql expression) {
        orderBy.add(expression);
        return this;
    }

    public SelectQuery clearOrderBy() {
        orderBy.clear();
        return this;
    }

    public SelectQuery limit(long value) {
        this.limit = Optional.of(value);
        return this;
    }

    public SelectQuery offset(long value) {
        this.offset = Optional.of(value);
        return this;
    }

    public Sql build() {
        List<Sql> parts = new ArrayList<>();
        prefix.ifPresent(parts::add);
        List<Sql> columns = selects.isEmpty() ? List.of(Sql.raw("*")) : selects;
        parts.add(Sql.format((distinct ? "SELECT DISTINCT %s" : "SELECT %s"), Sql.join(", ", columns)));
        String fromSql = "FROM " + Sql.quoteName(from);
        if (!fromAlias.equals(from)) {
            fromSql += " " + Sql.quoteName(fromAlias);
        }
        parts.add(Sql.raw(fromSql));
        for (Join join : joins) {
            parts.add(join.toSql());
        }
        if (!wheres.isEmpty()) {
            Sql where = wheres.size() == 1 ? wheres.getFirst() : Sql.join(" AND ", wheres.stream().map(Sql::enclose).toList());
            parts.add(Sql.format("WHERE %s", where));
        }
        if (!orderBy.isEmpty()) {
            parts.add(Sql.format("ORDER BY %s", Sql.join(", ", orderBy)));
        }
        limit.ifPresent(n -> parts.add(Sql.format("LIMIT %s", Sql.param(n))));
        offset.ifPresent(n -> parts.add(Sql.format("OFFSET %s", Sql.param(n))));
        return Sql.join(" ", parts);
    }
}
