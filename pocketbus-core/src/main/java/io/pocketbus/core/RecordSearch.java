package io.pocketbus.core;

import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.SearchProvider;
import io.pocketbus.tools.search.SelectQuery;
import io.pocketbus.tools.search.Sql;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records list of a collection as PocketBase runs it: {@code WHERE (listRule) AND (filter)}, DISTINCT when
 * a join was needed, the client sort, then the page; and the total as {@code COUNT(DISTINCT ...)}.
 */
public final class RecordSearch {

    /** PocketBase's generic 400 message (the details stay in the cause). */
    public static final String BAD_REQUEST = "Something went wrong while processing your request.";
    public static final String SUPERUSERS_ONLY = "Only superusers can perform this action.";

    private static final List<String> RULE_PARAMS = List.of("filter", "sort");
    private static final List<String> SUPERUSER_ONLY_FIELDS = List.of("@collection.", "@request.");

    /** One page of records; with {@code skipTotal} the totals are -1. */
    public record ListResult(List<Record> items, int page, int perPage, int totalItems, int totalPages) {
        public ListResult {
            items = List.copyOf(items);
        }
    }

    private RecordSearch() {
    }

    /**
     * Lists the records {@code requestInfo} may see, with the list parameters {@code params}
     * ({@code page, perPage, sort, filter, skipTotal}). Throws {@link ApiError}: 403 for a null listRule or a
     * client filter/sort using {@code @collection.}/{@code @request.} (non-superusers), 400 for an invalid
     * filter, sort or parameter.
     */
    public static ListResult list(App app, Collection collection, RequestInfo requestInfo, Map<String, String> params) {
        SearchProvider.SearchPlan plan = plan(app::findCollectionByNameOrId, collection, requestInfo, params,
                Clock.systemUTC());
        List<Record> items;
        long total = -1;
        try {
            items = app.findRecordsBySql(collection, plan.items().text(), plan.items().params());
            if (plan.count().isPresent()) {
                Sql count = plan.count().get();
                total = app.db().queryOne(count.text(), count.params(), rs -> rs.getLong(1)).orElse(0L);
            }
        } catch (Db.DbException e) {
            throw new ApiError(400, BAD_REQUEST, Map.of(), e);
        }
        int totalPages = total < 0 ? -1 : (int) Math.ceil((double) total / plan.perPage());
        return new ListResult(items, plan.page(), plan.perPage(), (int) total, totalPages);
    }

    /** The SQL {@link #list} runs, without running it. */
    public static SearchProvider.SearchPlan plan(RecordFieldResolver.CollectionLookup lookup, Collection collection,
                                                 RequestInfo requestInfo, Map<String, String> params, Clock clock) {
        boolean superuser = requestInfo.isSuperuser();
        if (collection.listRule().isEmpty() && !superuser) {
            throw ApiError.forbidden(SUPERUSERS_ONLY);
        }
        checkSuperuserOnlyFields(params, superuser);
        try {
            SelectQuery query = SelectQuery.from(collection.name())
                    .select(Sql.raw(Sql.quoteColumn(collection.name() + ".*")));
            RecordFieldResolver resolver = RecordFieldResolver.of(lookup, collection, Optional.of(requestInfo), true,
                    clock);
            Optional<String> listRule = collection.listRule();
            if (!superuser && listRule.isPresent() && !listRule.get().isEmpty()) {
                query.andWhere(FilterCompiler.compile(listRule.get(), resolver, clock));
            }
            // hidden fields are filterable by superusers only
            resolver.setAllowHiddenFields(superuser);
            SearchProvider provider = SearchProvider.of(resolver, query).clock(clock).parse(params);
            if (!collection.isView()) {
                provider.countColumn("_rowid_");
            }
            return provider.build();
        } catch (FilterException e) {
            throw new ApiError(400, BAD_REQUEST, Map.of(), e);
        }
    }

    /** Non-superusers may not use {@code @collection.} or {@code @request.} in a client filter or sort. */
    private static void checkSuperuserOnlyFields(Map<String, String> params, boolean superuser) {
        if (superuser) {
            return;
        }
        for (String param : RULE_PARAMS) {
            String value = params.getOrDefault(param, "");
            for (String field : SUPERUSER_ONLY_FIELDS) {
                if (value.contains(field)) {
                    throw ApiError.forbidden("Only superusers can filter by " + field);
                }
            }
        }
    }
}
