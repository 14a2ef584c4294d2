package io.pocketbus.tools.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** One sort key: a field path, {@code @random} or {@code @rowid}, and a direction. */
public record SortField(String name, Direction direction) {

    public static final String RANDOM = "@random";
    public static final String ROWID = "@rowid";

    /** The most sort keys a query may have. */
    public static final int DEFAULT_MAX_FIELDS = 8;

    /** The longest sort key, in UTF-8 bytes. */
    public static final int MAX_FIELD_LENGTH = 255;

    public static final String ERR_LIMIT = "max sort expressions limit reached";
    public static final String ERR_LENGTH_LIMIT = "max sort field length limit reached";

    public enum Direction { ASC, DESC }

    public SortField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
    }

    /** Parses {@code -created,+title,@random}: {@code -} means descending, an optional {@code +} ascending. */
    public static List<SortField> parse(String sort) {
        List<SortField> fields = new ArrayList<>();
        for (String part : sort.split(",", -1)) {
            String field = part.strip();
            if (field.startsWith("-")) {
                fields.add(new SortField(field.substring(1), Direction.DESC));
            } else {
                fields.add(new SortField(field.startsWith("+") ? field.substring(1) : field, Direction.ASC));
            }
        }
        return fields;
    }

    /** Checks the number of keys and their length, as the search provider does before resolving them. */
    public static void checkLimits(List<SortField> fields, int maxFields) {
        if (fields.size() > maxFields) {
            throw new FilterException(ERR_LIMIT);
        }
        for (SortField field : fields) {
            if (field.name.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_LENGTH) {
                throw new FilterException(ERR_LENGTH_LIMIT);
            }
        }
    }

    /**
     * The ORDER BY term. {@code @rowid} is qualified with {@code tableAlias}, the query's first table. Only
     * column-like identifiers may be sorted on: a bound value or NULL is an invalid sort field.
     */
    public Sql toSql(FieldResolver resolver, String tableAlias) {
        if (name.equals(RANDOM)) {
            return Sql.raw("RANDOM()");
        }
        if (name.equals(ROWID)) {
            return Sql.raw(Sql.quoteColumn(tableAlias + "._rowid_") + " " + direction);
        }
        ResolverResult result;
        try {
            result = resolver.resolve(name);
        } catch (FilterException e) {
            throw invalid(e);
        }
        Sql identifier = result.identifier();
        if (!identifier.params().isEmpty() || identifier.isEmpty()
                || identifier.text().toLowerCase(Locale.ROOT).equals("null")) {
            throw invalid(null);
        }
        return Sql.format("%s " + direction, identifier);
    }

    private FilterException invalid(Throwable cause) {
        return new FilterException("invalid sort field " + GoQuote.string(name), cause);
    }
}
