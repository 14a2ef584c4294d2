package io.pocketbus.core;

import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.SelectQuery;
import io.pocketbus.tools.search.Sql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates API rules against one record. A stored record is checked with
 * {@code SELECT (1) FROM table WHERE id=? AND (rule)}; a record being created is checked against a one-row CTE
 * of its submitted values (after the modifiers, with {@code verified} forced to false), so that the rule
 * sees the new values as the record's fields.
 *
 * <p>A null rule lets only superusers through, an empty rule everyone. An invalid rule throws
 * {@link io.pocketbus.tools.search.FilterException}.
 */
public final class RuleCheck {

    /** The CTE standing in for the collection's table in a create check. */
    static final String DRAFT_SUFFIX = "__pb_create";

    /** {@link #findQuery} without a rule, by collection name, with an empty id as the first parameter. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Sql> PLAIN_FINDS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private RuleCheck() {
    }

    /** Whether {@code requestInfo} passes {@code rule} for the stored {@code record} (PocketBase's CanAccessRecord). */
    public static boolean canAccess(App app, Record record, RequestInfo requestInfo, Optional<String> rule) {
        if (requestInfo.isSuperuser()) {
            return true;
        }
        if (rule.isEmpty()) {
            return false;
        }
        if (rule.get().isEmpty()) {
            return true;
        }
        Sql sql = accessQuery(app::findCollectionByNameOrId, record.collection(), record.id(), requestInfo, rule.get(),
                Clock.systemUTC());
        return exists(app, sql);
    }

    /**
     * The record with {@code id} when {@code requestInfo} passes {@code rule} for it (view, update, delete);
     * empty when it does not exist or fails the rule, and for non-superusers when the rule is null.
     */
    public static Optional<Record> findRecord(App app, Collection collection, String id, RequestInfo requestInfo,
                                              Optional<String> rule) {
        if (!requestInfo.isSuperuser() && rule.isEmpty()) {
            return Optional.empty();
        }
        Sql sql = findQuery(app::findCollectionByNameOrId, collection, id, requestInfo, rule, Clock.systemUTC());
        List<Record> found = app.findRecordsBySql(collection, sql.text(), sql.params());
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    /** Whether {@code requestInfo} may create {@code draft}, by the collection's createRule. */
    public static boolean canCreate(App app, Record draft, RequestInfo requestInfo) {
        Optional<String> rule = draft.collection().createRule();
        if (requestInfo.isSuperuser()) {
            return true;
        }
        if (rule.isEmpty()) {
            return false;
        }
        if (rule.get().isEmpty()) {
            return true;
        }
        return exists(app, draftQuery(app::findCollectionByNameOrId, draft, requestInfo, rule.get(), Clock.systemUTC()));
    }

    /**
     * Whether {@code requestInfo}'s auth record manages {@code record} (stored, or a draft being created) by its
     * auth collection's manageRule; never for a null or empty manageRule or a guest.
     */
    public static boolean hasManageAccess(App app, Record record, RequestInfo requestInfo) {
        Collection collection = record.collection();
        if (!collection.isAuth() || requestInfo.auth().isEmpty()) {
            return false;
        }
        Optional<String> rule = collection.auth().manageRule();
        if (rule.isEmpty() || rule.get().isEmpty()) {
            return false;
        }
        Sql sql = record.isNew()
                ? draftQuery(app::findCollectionByNameOrId, record, requestInfo, rule.get(), Clock.systemUTC())
                : accessQuery(app::findCollectionByNameOrId, collection, record.id(), requestInfo, rule.get(),
                        Clock.systemUTC());
        return exists(app, sql);
    }

    /**
     * The {@link RuleValidator} of collection saves: the rule must compile for the collection (against an empty
     * request). Returns PocketBase's raw error text for an invalid rule.
     */
    public static Optional<String> validate(App app, Collection collection, String rule) {
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        RequestInfo empty = new RequestInfo("", "", Map.of(), Map.of(), Map.of(),
                Optional.empty());
        RecordFieldResolver resolver = RecordFieldResolver.of(app::findCollectionByNameOrId, collection,
                Optional.of(empty), true, Clock.systemUTC());
        try {
            FilterCompiler.compile(rule, resolver);
            return Optional.empty();
        } catch (FilterException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code SELECT (1) FROM table [joins] WHERE table.id=? AND (rule) LIMIT 1}. */
    public static Sql accessQuery(RecordFieldResolver.CollectionLookup lookup, Collection collection, String recordId,
                                  RequestInfo requestInfo, String rule, Clock clock) {
        SelectQuery query = SelectQuery.from(collection.name()).select(Sql.raw("(1)"))
                .andWhere(idEquals(collection.name(), recordId));
        RecordFieldResolver resolver = RecordFieldResolver.of(lookup, collection, Optional.of(requestInfo), true, clock);
        Sql expr = FilterCompiler.compile(rule, resolver, clock);
        resolver.updateQuery(query);
        return query.andWhere(expr).limit(1).build();
    }

    /** {@code SELECT table.* FROM table [joins] WHERE table.id=? [AND (rule)] LIMIT 1}; the rule is skipped for superusers. */
    public static Sql findQuery(RecordFieldResolver.CollectionLookup lookup, Collection collection, String id,
                                RequestInfo requestInfo, Optional<String> rule, Clock clock) {
        boolean ruleApplies = !requestInfo.isSuperuser() && rule.isPresent() && !rule.get().isEmpty();
        if (!ruleApplies) {
            // the same text for every view of the collection: built once, only the id changes
            if (PLAIN_FINDS.size() > 1024) {
                // names of renamed or deleted collections would otherwise stay forever
                PLAIN_FINDS.clear();
            }
            Sql template = PLAIN_FINDS.computeIfAbsent(collection.name(), name -> plainFind(name, ""));
            List<Object> params = new ArrayList<>(template.params());
            params.set(0, id);
            return new Sql(template.text(), params);
        }
        SelectQuery query = SelectQuery.from(collection.name()).select(Sql.raw(Sql.quoteColumn(collection.name() + ".*")))
                .andWhere(idEquals(collection.name(), id));
        RecordFieldResolver resolver = RecordFieldResolver.of(lookup, collection, Optional.of(requestInfo), true, clock);
        query.andWhere(FilterCompiler.compile(rule.get(), resolver, clock));
        resolver.updateQuery(query);
        return query.limit(1).build();
    }

    private static Sql plainFind(String table, String id) {
        return SelectQuery.from(table).select(Sql.raw(Sql.quoteColumn(table + ".*"))).andWhere(idEquals(table, id))
                .limit(1).build();
    }

    /**
     * {@code WITH draft AS (SELECT ? AS col, ...) SELECT (1) FROM draft [joins] WHERE (rule) LIMIT 1}: the rule
     * evaluated on the draft's values as they would be stored.
     */
    public static Sql draftQuery(RecordFieldResolver.CollectionLookup lookup, Record draft, RequestInfo requestInfo,
                                 String rule, Clock clock) {
        Collection real = draft.collection();
        Collection stand = real.copy();
        stand.setName(real.name() + DRAFT_SUFFIX);
        stand.setId(real.id() + DRAFT_SUFFIX);

        List<Sql> columns = new ArrayList<>();
        for (Field field : real.fields()) {
            Object value;
            if (field.name().equals("id")) {
                value = draft.id().isEmpty() ? "__temp_id__" + DRAFT_SUFFIX : draft.id();
            } else if (real.isAuth() && field.name().equals("verified")) {
                // a draft is never verified, so that a manageRule cannot rely on it
                value = false;
            } else {
                value = field.dbValue(draft.get(field.name()));
            }
            columns.add(Sql.format("%s AS " + Sql.quoteName(field.name()), Sql.param(value)));
        }
        Sql with = Sql.format("WITH " + Sql.quoteName(stand.name()) + " AS (SELECT %s)", Sql.join(", ", columns));

        SelectQuery query = SelectQuery.from(stand.name()).prefix(with).select(Sql.raw("(1)"));
        RecordFieldResolver resolver = RecordFieldResolver.of(lookup, stand, Optional.of(requestInfo), true, clock);
        query.andWhere(FilterCompiler.compile(rule, resolver, clock));
        resolver.updateQuery(query);
        return query.limit(1).build();
    }

    private static Sql idEquals(String table, String id) {
        return Sql.format(Sql.quoteColumn(table + ".id") + "=%s", Sql.param(id));
    }

    private static boolean exists(App app, Sql sql) {
        return app.db().queryOne(sql.text(), sql.params(), rs -> rs.getInt(1)).map(v -> v > 0).orElse(false);
    }
}
