package io.pocketbus.tools.search;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a {@link FieldResolver} turns an identifier into.
 *
 * @param identifier  the SQL operand: a quoted column, an expression, or bound parameters
 * @param nullFallback how equality treats NULL against {@code ''} for this operand
 * @param multiMatch  for a multi-valued operand, the sub-query that yields every item (for "all items" semantics)
 * @param afterBuild  applied to the whole built comparison (e.g. to AND an extra condition)
 */
public record ResolverResult(Sql identifier, NullFallback nullFallback, Optional<MultiMatchSubquery> multiMatch,
                             Optional<UnaryOperator<Sql>> afterBuild) {

    public ResolverResult {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(nullFallback, "nullFallback");
        Objects.requireNonNull(multiMatch, "multiMatch");
        Objects.requireNonNull(afterBuild, "afterBuild");
    }

    public static ResolverResult of(Sql identifier) {
        return new ResolverResult(identifier, NullFallback.AUTO, Optional.empty(), Optional.empty());
    }

    /** A plain SQL operand without parameters, such as a quoted column or {@code NULL}. */
    public static ResolverResult raw(String sql) {
        return of(Sql.raw(sql));
    }

    /** A bound value. */
    public static ResolverResult param(Object value) {
        return of(Sql.param(value));
    }

    public ResolverResult withIdentifier(Sql sql) {
        return new ResolverResult(sql, nullFallback, multiMatch, afterBuild);
    }

    public ResolverResult withNullFallback(NullFallback fallback) {
        return new ResolverResult(identifier, fallback, multiMatch, afterBuild);
    }

    public ResolverResult withMultiMatch(MultiMatchSubquery subquery) {
        return new ResolverResult(identifier, nullFallback, Optional.of(subquery), afterBuild);
    }

    public ResolverResult withAfterBuild(UnaryOperator<Sql> after) {
        return new ResolverResult(identifier, nullFallback, multiMatch, Optional.of(after));
    }
}
