package io.pocketbus.tools.search;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles a filter or rule into an SQL condition with bound parameters, with PocketBase's operator semantics:
 * NULL and {@code ''} are equal for {@code =}/{@code !=}, {@code ~} is a contains-LIKE, and a plain operator
 * on a multi-valued operand must hold for every item while the {@code ?} forms need only one.
 */
public final class FilterCompiler {

    /** The most expressions one filter may have. */
    public static final int DEFAULT_MAX_EXPRESSIONS = 200;

    /** The longest client filter, in UTF-8 bytes. */
    public static final int MAX_FILTER_LENGTH = 3500;

    public static final String ERR_EXPRESSION_LIMIT = "max filter expressions limit reached";
    public static final String ERR_LENGTH_LIMIT = "max filter length limit reached";

    private static final Set<String> EMPTY_IDENTIFIERS = Set.of("", "null", "''", "\"\"", "``");
    private static final Set<String> NON_EMPTY_LITERALS = Set.of("1", "0", "false", "true");

    private final FieldResolver resolver;
    private final Clock clock;
    private int remainingExpressions;
    private int aliasSeq;

    private FilterCompiler(FieldResolver resolver, Clock clock, int maxExpressions) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.remainingExpressions = maxExpressions;
    }

    /** Compiles with the default expression limit and the system clock (for the date macros). */
    public static Sql compile(String filter, FieldResolver resolver) {
        return compile(filter, resolver, Clock.systemUTC());
    }

    public static Sql compile(String filter, FieldResolver resolver, Clock clock) {
        return compile(filter, resolver, clock, DEFAULT_MAX_EXPRESSIONS);
    }

    public static Sql compile(String filter, FieldResolver resolver, Clock clock, int maxExpressions) {
        List<FilterNode.Joined> parsed = FilterParser.parse(filter);
        return new FilterCompiler(resolver, clock, maxExpressions).build(parsed);
    }

    /** Throws when a client filter is longer than {@link #MAX_FILTER_LENGTH} UTF-8 bytes. */
    public static void checkLength(String filter) {
        if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_FILTER_LENGTH) {
            throw new FilterException(ERR_LENGTH_LIMIT);
        }
    }

    private Sql build(List<FilterNode.Joined> items) {
        if (items.isEmpty()) {
            throw new FilterException(FilterParser.ERR_EMPTY);
        }
        List<Sql> parts = new ArrayList<>();
        for (FilterNode.Joined joined : items) {
            Sql sql = switch (joined.item()) {
                case FilterNode.Expr expr -> {
                    if (remainingExpressions <= 0) {
                        throw new FilterException(ERR_EXPRESSION_LIMIT);
                    }
                    remainingExpressions--;
                    yield expression(expr);
                }
                case FilterNode.Group group -> build(group.items());
            };
            if (!parts.isEmpty()) {
                parts.add(Sql.raw(joined.join().sql()));
            }
            parts.add(sql);
        }
        List<Sql> nonEmpty = parts.stream().filter(p -> !p.isEmpty()).toList();
        if (nonEmpty.size() == 1) {
            String upper = nonEmpty.getFirst().text().toUpperCase(Locale.ROOT);
            if (!upper.contains(" AND ") && !upper.contains(" OR ")) {
                return nonEmpty.getFirst();
            }
        }
        return Sql.format("(%s)", Sql.join(" ", nonEmpty));
    }

    private Sql expression(FilterNode.Expr expr) {
        ResolverResult left = operand(expr.left(), "left");
        ResolverResult right = operand(expr.right(), "right");
        return buildResolversExpr(left, expr.op(), right);
    }

    private ResolverResult operand(Token token, String side) {
        ResolverResult result;
        try {
            result = resolveToken(token);
        } catch (FilterException e) {
            throw new FilterException("invalid " + side + " operand " + GoQuote.string(token.literal()) + " - "
                    + e.getMessage(), e);
        }
        if (result.identifier().isEmpty()) {
            throw new FilterException("invalid " + side + " operand " + GoQuote.string(token.literal()) + " - <nil>");
        }
        return result;
    }

    private ResolverResult resolveToken(Token token) {
        return switch (token.type()) {
            case IDENTIFIER -> resolveIdentifier(token.literal());
            case TEXT -> ResolverResult.param(token.literal());
            case NUMBER -> ResolverResult.param(Double.parseDouble(token.literal()));
            case FUNCTION -> TokenFunctions.call(token.literal(), token.args(), this::resolveToken);
            default -> throw new FilterException("unsupported token type " + GoQuote.string(token.type().word()));
        };
    }

    private ResolverResult resolveIdentifier(String literal) {
        Optional<Object> macro = IdentifierMacros.value(literal, clock);
        if (macro.isPresent()) {
            return ResolverResult.param(macro.get());
        }
        FilterException failure = null;
        ResolverResult result = null;
        try {
            result = resolver.resolve(literal);
        } catch (FilterException e) {
            failure = e;
        }
        if (failure != null || result.identifier().isEmpty()) {
            // a field named null/true/false wins; otherwise they are the keywords
            switch (literal.toLowerCase(Locale.ROOT)) {
                case "null" -> {
                    return ResolverResult.raw("NULL");
                }
                case "true" -> {
                    return ResolverResult.raw("1");
                }
                case "false" -> {
                    return ResolverResult.raw("0");
                }
                default -> {
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        return result;
    }

    private Sql buildResolversExpr(ResolverResult left, SignOp op, ResolverResult right) {
        Sql expr = switch (op) {
            case EQ, ANY_EQ -> equal(true, left, right);
            case NEQ, ANY_NEQ -> equal(false, left, right);
            case LIKE, ANY_LIKE -> like("LIKE", left, right);
            case NLIKE, ANY_NLIKE -> like("NOT LIKE", left, right);
            case LT, ANY_LT -> Sql.format("%s < %s", left.identifier(), right.identifier());
            case LTE, ANY_LTE -> Sql.format("%s <= %s", left.identifier(), right.identifier());
            case GT, ANY_GT -> Sql.format("%s > %s", left.identifier(), right.identifier());
            case GTE, ANY_GTE -> Sql.format("%s >= %s", left.identifier(), right.identifier());
        };

        if (!op.isAny()) {
            if (left.multiMatch().isPresent() && right.multiMatch().isPresent()) {
                expr = Sql.and(expr, manyVsMany(left, op, right)).enclose();
            } else if (left.multiMatch().isPresent()) {
                expr = Sql.and(expr, manyVsOne(left.nullFallback(), left.multiMatch().get(), op, right, false)).enclose();
            } else if (right.multiMatch().isPresent()) {
                expr = Sql.and(expr, manyVsOne(right.nullFallback(), right.multiMatch().get(), op, left, true)).enclose();
            }
        }

        if (left.afterBuild().isPresent()) {
            expr = left.afterBuild().get().apply(expr);
        }
        if (right.afterBuild().isPresent()) {
            expr = right.afterBuild().get().apply(expr);
        }
        return expr;
    }

    private static Sql like(String operator, ResolverResult left, ResolverResult right) {
        if (right.identifier().params().isEmpty()) {
            // a column on the right: wrap it for a contains match
            return Sql.format("%s " + operator + " ('%' || %s || '%') ESCAPE '\\'",
                    left.identifier(), right.identifier());
        }
        Sql wrapped = new Sql(right.identifier().text(), right.identifier().params().stream()
                .map(FilterCompiler::wrapLikeParam).toList());
        return Sql.format("%s " + operator + " %s ESCAPE '\\'", left.identifier(), wrapped);
    }

    /**
     * Wraps a LIKE value in {@code %...%} (escaping {@code \ % _} as PocketBase does) unless it already has an
     * unescaped {@code %}, in which case the client's own pattern is used.
     */
    static Object wrapLikeParam(Object value) {
        String s = toGoString(value);
        if (!containsUnescaped(s, '%')) {
            s = "%" + escapeUnescaped(s, "\\%_") + "%";
        }
        return s;
    }

    /** The text form Go's {@code cast.ToString} gives a value ({@code ""} for null, lists and maps). */
    public static String toGoString(Object value) {
        return switch (value) {
            case null -> "";
            case String s -> s;
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Float f -> new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            case java.util.Collection<?> c -> "";
            case java.util.Map<?, ?> m -> "";
            default -> String.valueOf(value);
        };
    }

    /**
     * Puts a backslash before each of {@code chars} not already preceded by one. A port of PocketBase's
     * right-to-left scan, which leaves the first of two adjacent special characters unescaped.
     */
    static String escapeUnescaped(String str, String chars) {
        int[] rs = str.codePoints().toArray();
        List<Integer> result = new ArrayList<>(rs.length * 2);
        boolean match = false;
        for (int i = rs.length - 1; i >= 0; i--) {
            if (match) {
                if (rs[i] != '\\') {
                    result.add((int) '\\');
                }
                match = false;
            } else {
                match = chars.indexOf(rs[i]) >= 0;
            }
            result.add(rs[i]);
            if (i == 0 && match) {
                result.add((int) '\\');
            }
        }
        StringBuilder out = new StringBuilder(result.size());
        for (int i = result.size() - 1; i >= 0; i--) {
            out.appendCodePoint(result.get(i));
        }
        return out.toString();
    }

    static boolean containsUnescaped(String str, int ch) {
        int prev = 0;
        for (int c : str.codePoints().toArray()) {
            if (c == ch && prev != '\\') {
                return true;
            }
            prev = (c == '\\' && prev == '\\') ? 0 : c;
        }
        return false;
    }

    /**
     * {@code =} and {@code !=} with as little COALESCE as possible: a direct comparison when one side is known
     * to be non-empty, an {@code IS NULL} pair when one side is empty, COALESCE otherwise.
     */
    private static Sql equal(boolean equal, ResolverResult left, ResolverResult right) {
        String equalOp = equal ? "=" : "IS NOT";
        String nullEqualOp = equal ? "IS" : "IS NOT";
        String concatOp = equal ? "OR" : "AND";
        String nullExpr = equal ? "IS NULL" : "IS NOT NULL";
        Sql l = left.identifier();
        Sql r = right.identifier();

        if (left.nullFallback() == NullFallback.DISABLED || right.nullFallback() == NullFallback.DISABLED) {
            return Sql.format("%s " + nullEqualOp + " %s", l, r);
        }

        boolean leftEmpty = isEmptyIdentifier(left) || (left.nullFallback() == NullFallback.AUTO
                && l.params().size() == 1 && hasEmptyParam(left));
        boolean rightEmpty = isEmptyIdentifier(right) || (right.nullFallback() == NullFallback.AUTO
                && r.params().size() == 1 && hasEmptyParam(right));

        if (leftEmpty && rightEmpty) {
            return Sql.raw("'' " + equalOp + " ''");
        }
        if (isKnownNonEmpty(left) || isKnownNonEmpty(right)) {
            return Sql.format("%s " + equalOp + " %s", leftEmpty ? Sql.raw("''") : l, rightEmpty ? Sql.raw("''") : r);
        }
        if (leftEmpty) {
            return Sql.format("('' " + equalOp + " %s " + concatOp + " %s " + nullExpr + ")", r, r);
        }
        if (rightEmpty) {
            return Sql.format("(%s " + equalOp + " '' " + concatOp + " %s " + nullExpr + ")", l, l);
        }
        return Sql.format("COALESCE(%s, '') " + equalOp + " COALESCE(%s, '')", l, r);
    }

    private static boolean hasEmptyParam(ResolverResult result) {
        for (Object p : result.identifier().params()) {
            if (p == null || (p instanceof String s && s.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKnownNonEmpty(ResolverResult result) {
        if (result.nullFallback() == NullFallback.ENFORCED) {
            return false;
        }
        if (NON_EMPTY_LITERALS.contains(result.identifier().text().toLowerCase(Locale.ROOT))) {
            return true;
        }
        return !result.identifier().params().isEmpty() && !hasEmptyParam(result) && !isEmptyIdentifier(result);
    }

    private static boolean isEmptyIdentifier(ResolverResult result) {
        return EMPTY_IDENTIFIERS.contains(result.identifier().text().toLowerCase(Locale.ROOT));
    }

    /** Every item on the left against every item on the right: no pair may break the comparison. */
    private Sql manyVsMany(ResolverResult left, SignOp op, ResolverResult right) {
        int seq = ++aliasSeq;
        String lAlias = "__ml" + seq;
        String rAlias = "__mr" + seq;
        ResolverResult l = new ResolverResult(Sql.raw(Sql.quoteColumn(lAlias + ".multiMatchValue")),
                left.nullFallback(), Optional.empty(), Optional.empty());
        ResolverResult r = new ResolverResult(Sql.raw(Sql.quoteColumn(rAlias + ".multiMatchValue")),
                right.nullFallback(), Optional.empty(), Optional.of(Sql::not));
        Sql where = buildResolversExpr(l, op, r);
        return Sql.format("NOT EXISTS (SELECT 1 FROM (%s) " + Sql.quoteName(lAlias) + " LEFT JOIN (%s) "
                + Sql.quoteName(rAlias) + " WHERE %s)",
                left.multiMatch().orElseThrow().toSql(), right.multiMatch().orElseThrow().toSql(), where);
    }

    /** Every item of the multi-valued side against the other operand: no item may break the comparison. */
    private Sql manyVsOne(NullFallback fallback, MultiMatchSubquery subquery, SignOp op, ResolverResult other,
                          boolean inverse) {
        String alias = "__sm" + (++aliasSeq);
        ResolverResult item = new ResolverResult(Sql.raw(Sql.quoteColumn(alias + ".multiMatchValue")), fallback,
                Optional.empty(), Optional.of(Sql::not));
        ResolverResult one = ResolverResult.of(other.identifier());
        Sql where = inverse ? buildResolversExpr(one, op, item) : buildResolversExpr(item, op, one);
        return Sql.format("NOT EXISTS (SELECT 1 FROM (%s) " + Sql.quoteName(alias) + " WHERE %s)",
                subquery.toSql(), where);
    }
}
