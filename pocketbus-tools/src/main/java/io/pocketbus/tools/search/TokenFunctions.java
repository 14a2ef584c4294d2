package io.pocketbus.tools.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The filter functions {@code geoDistance(...)} and {@code strftime(...)}. */
final class TokenFunctions {

    private static final int STRFTIME_MAX_ARGS = 10;

    private TokenFunctions() {
    }

    static ResolverResult call(String name, List<Token> args, Function<Token, ResolverResult> resolveArg) {
        return switch (name) {
            case "geoDistance" -> geoDistance(args, resolveArg);
            case "strftime" -> strftime(args, resolveArg);
            default -> throw new FilterException("unknown function " + GoQuote.string(name));
        };
    }

    /** The Haversine distance in km between (lonA, latA) and (lonB, latB). */
    private static ResolverResult geoDistance(List<Token> args, Function<Token, ResolverResult> resolveArg) {
        if (args.size() != 4) {
            throw new FilterException("[geoDistance] expected 4 arguments, got " + args.size());
        }
        Sql[] resolved = new Sql[4];
        for (int i = 0; i < 4; i++) {
            Token arg = args.get(i);
            if (arg.type() != TokenType.IDENTIFIER && arg.type() != TokenType.NUMBER) {
                throw new FilterException("[geoDistance] argument " + i + " must be an identifier or number");
            }
            resolved[i] = resolveWrapped(resolveArg, arg, "[geoDistance] failed to resolve argument " + i).identifier();
        }
        Sql lonA = resolved[0];
        Sql latA = resolved[1];
        Sql lonB = resolved[2];
        Sql latB = resolved[3];
        Sql sql = Sql.format("(6371 * acos(cos(radians(%s)) * cos(radians(%s)) * cos(radians(%s) - radians(%s)) + "
                + "sin(radians(%s)) * sin(radians(%s))))", latA, latB, lonB, lonA, latA, latB);
        return ResolverResult.of(sql).withNullFallback(NullFallback.DISABLED);
    }

    /** SQLite's strftime, with a NULL result compared as {@code ''}. */
    private static ResolverResult strftime(List<Token> args, Function<Token, ResolverResult> resolveArg) {
        int total = args.size();
        if (total < 1) {
            throw new FilterException("[strftime] expected at least 1 arguments, got " + total);
        }
        if (total > STRFTIME_MAX_ARGS) {
            throw new FilterException("[strftime] too many arguments (max allowed " + STRFTIME_MAX_ARGS + ", got "
                    + total + ")");
        }
        if (args.getFirst().type() != TokenType.TEXT) {
            throw new FilterException("[strftime] expects the first argument to be a format string");
        }
        Sql format = resolveWrapped(resolveArg, args.getFirst(), "[strftime] failed to resolve format argument")
                .identifier();
        if (total == 1) {
            return ResolverResult.of(Sql.format("strftime(%s)", format)).withNullFallback(NullFallback.ENFORCED);
        }
        TokenType timeType = args.get(1).type();
        if (timeType != TokenType.TEXT && timeType != TokenType.IDENTIFIER && timeType != TokenType.NUMBER) {
            throw new FilterException("[strftime] expects the second argument to be of a valid time-value type");
        }
        ResolverResult timeValue = resolveWrapped(resolveArg, args.get(1),
                "[strftime] failed to resolve time-value argument");
        List<Sql> modifiers = new ArrayList<>();
        for (int i = 2; i < total; i++) {
            Token arg = args.get(i);
            if (arg.type() != TokenType.TEXT) {
                throw new FilterException("[strftime] invalid modifier argument " + (i - 2) + " - can be only string");
            }
            modifiers.add(resolveWrapped(resolveArg, arg, "[strftime] failed to resolve modifier argument " + (i - 2))
                    .identifier());
        }
        ResolverResult result = ResolverResult.of(call(format, timeValue.identifier(), modifiers))
                .withNullFallback(NullFallback.ENFORCED);
        Optional<MultiMatchSubquery> mm = timeValue.multiMatch();
        if (mm.isPresent()) {
            result = result.withMultiMatch(mm.get().withValueIdentifier(
                    call(format, mm.get().valueIdentifier(), modifiers)));
        }
        return result;
    }

    private static Sql call(Sql format, Sql timeValue, List<Sql> modifiers) {
        List<Sql> all = new ArrayList<>();
        all.add(format);
        all.add(timeValue);
        all.addAll(modifiers);
        return Sql.format("strftime(%s)", Sql.join(",", all));
    }

    private static ResolverResult resolveWrapped(Function<Token, ResolverResult> resolveArg, Token arg, String context) {
        try {
            return resolveArg.apply(arg);
        } catch (FilterException e) {
            throw new FilterException(context + ": " + e.getMessage(), e);
        }
    }
}
