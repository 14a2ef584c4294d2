package io.pocketbus.tools.search;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns list parameters ({@code page, perPage, sort, filter, skipTotal}) and a base query into the SQL of a
 * page of items and of the total count, as PocketBase's search provider does. It builds SQL only; the
 * caller runs it.
 */
public final class SearchProvider {

    public static final int DEFAULT_PER_PAGE = 30;
    public static final int MAX_PER_PAGE = 1000;

    private final FieldResolver resolver;
    private final SelectQuery query;
    private final List<String> filters = new ArrayList<>();
    private final List<SortField> sort = new ArrayList<>();
    private String countColumn = "id";
    private int page = 1;
    private int perPage = DEFAULT_PER_PAGE;
    private boolean skipTotal;
    private int maxFilterExpressions = FilterCompiler.DEFAULT_MAX_EXPRESSIONS;
    private int maxSortFields = SortField.DEFAULT_MAX_FIELDS;
    private Clock clock = Clock.systemUTC();

    /** The SQL of the page of items, the count query (absent with skipTotal) and the applied paging. */
    public record SearchPlan(Sql items, Optional<Sql> count, int page, int perPage) {
        public SearchPlan {
            Objects.requireNonNull(items, "items");
            Objects.requireNonNull(count, "count");
        }
    }

    private SearchProvider(FieldResolver resolver, SelectQuery query) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.query = Objects.requireNonNull(query, "query");
    }

    /** A provider over a copy of the base query. */
    public static SearchProvider of(FieldResolver resolver, SelectQuery baseQuery) {
        return new SearchProvider(resolver, baseQuery.copy());
    }

    /**
     * Reads {@code page, perPage, sort, filter, skipTotal} from query parameters (empty values are ignored);
     * throws {@link FilterException} for a malformed number or boolean.
     */
    public SearchProvider parse(Map<String, String> params) {
        String raw = params.getOrDefault("skipTotal", "");
        if (!raw.isEmpty()) {
            skipTotal(parseBool(raw));
        }
        raw = params.getOrDefault("page", "");
        if (!raw.isEmpty()) {
            page(parseInt(raw));
        }
        raw = params.getOrDefault("perPage", "");
        if (!raw.isEmpty()) {
            perPage(parseInt(raw));
        }
        raw = params.getOrDefault("sort", "");
        if (!raw.isEmpty()) {
            sort.addAll(SortField.parse(raw));
        }
        raw = params.getOrDefault("filter", "");
        if (!raw.isEmpty()) {
            filters.add(raw);
        }
        return this;
    }

    public SearchProvider addFilter(String filter) {
        if (!filter.isEmpty()) {
            filters.add(filter);
        }
        return this;
    }

    public SearchProvider addSort(SortField field) {
        sort.add(Objects.requireNonNull(field));
        return this;
    }

    public SearchProvider page(int value) {
        this.page = value;
        return this;
    }

    public SearchProvider perPage(int value) {
        this.perPage = value;
        return this;
    }

    public SearchProvider skipTotal(boolean value) {
        this.skipTotal = value;
        return this;
    }

    /** The column counted (DISTINCT) for the total; {@code id} by default, {@code _rowid_} for tables. */
    public SearchProvider countColumn(String column) {
        Sql.quoteName(column);
        this.countColumn = column;
        return this;
    }

    public SearchProvider maxFilterExpressions(int max) {
        this.maxFilterExpressions = max;
        return this;
    }

    public SearchProvider maxSortFields(int max) {
        this.maxSortFields = max;
        return this;
    }

    /** The clock of the date macros. */
    public SearchProvider clock(Clock value) {
        this.clock = Objects.requireNonNull(value);
        return this;
    }

    /** Builds the SQL; throws {@link FilterException} for an invalid filter or sort. */
    public SearchPlan build() {
        SelectQuery items = query.copy();
        for (String filter : filters) {
            FilterCompiler.checkLength(filter);
            items.andWhere(FilterCompiler.compile(filter, resolver, clock, maxFilterExpressions));
        }
        SortField.checkLimits(sort, maxSortFields);
        for (SortField field : sort) {
            items.andOrderBy(field.toSql(resolver, items.fromAlias()));
        }
        resolver.updateQuery(items);

        int appliedPage = Math.max(page, 1);
        int appliedPerPage = perPage <= 0 ? DEFAULT_PER_PAGE : Math.min(perPage, MAX_PER_PAGE);

        Optional<Sql> count = Optional.empty();
        if (!skipTotal) {
            SelectQuery countQuery = items.copy().distinct(false).clearOrderBy()
                    .select(Sql.raw("COUNT(DISTINCT " + Sql.quoteColumn(items.fromAlias() + "." + countColumn) + ")"));
            count = Optional.of(countQuery.build());
        }
        items.limit(appliedPerPage).offset((long) appliedPerPage * (appliedPage - 1));
        return new SearchPlan(items.build(), count, appliedPage, appliedPerPage);
    }

    private static int parseInt(String raw) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new FilterException("strconv.Atoi: parsing " + GoQuote.string(raw) + ": invalid syntax", e);
        }
    }

    /** Go's strconv.ParseBool. */
    private static boolean parseBool(String raw) {
        return switch (raw) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new FilterException("strconv.ParseBool: parsing " + GoQuote.string(raw) + ": invalid syntax");
        };
    }
}
