package io.pocketbus.tools.search;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A resolver for plain tables: only the allowed fields (exact names or {@code ^...$} patterns) resolve; a
 * single name is a column, a dotted path is a JSON path into the first segment's column.
 */
public final class SimpleFieldResolver implements FieldResolver {

    private final List<String> allowedFields;

    private SimpleFieldResolver(List<String> allowedFields) {
        this.allowedFields = List.copyOf(allowedFields);
    }

    /** Each entry is a name, or a regular expression when it starts with {@code ^} and ends with {@code $}. */
    public static SimpleFieldResolver of(String... allowedFields) {
        return new SimpleFieldResolver(List.of(allowedFields));
    }

    @Override
    public ResolverResult resolve(String field) {
        if (!isAllowed(field)) {
            throw new FilterException("failed to resolve field " + GoQuote.string(field));
        }
        String[] parts = field.split("\\.", -1);
        if (parts.length == 1) {
            return ResolverResult.raw(Sql.quoteName(columnify(parts[0])));
        }
        StringBuilder path = new StringBuilder("$");
        for (int i = 1; i < parts.length; i++) {
            String part = columnify(parts[i]);
            if (isInteger(parts[i])) {
                path.append('[').append(part).append(']');
            } else {
                path.append('.').append(part);
            }
        }
        return ResolverResult.raw("JSON_EXTRACT(" + Sql.quoteName(columnify(parts[0])) + ", '" + path + "')")
                .withNullFallback(NullFallback.DISABLED);
    }

    private boolean isAllowed(String field) {
        if (allowedFields.isEmpty()) {
            return true;
        }
        for (String allowed : allowedFields) {
            if (allowed.equals(field)) {
                return true;
            }
            if (allowed.startsWith("^") && allowed.endsWith("$") && Pattern.compile(allowed).matcher(field).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps only {@code [A-Za-z0-9_.]}, as PocketBase's inflector.Columnify, so a name can never break out. */
    public static String columnify(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Sql.isWordChar(c) || c == '.') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Go's strconv.Atoi success: an optional sign and decimal digits. */
    static boolean isInteger(String s) {
        int start = (s.startsWith("-") || s.startsWith("+")) ? 1 : 0;
        if (s.length() == start) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
