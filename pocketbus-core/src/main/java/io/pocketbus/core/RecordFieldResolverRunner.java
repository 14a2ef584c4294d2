package io.pocketbus.core;

import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.GoQuote;
import io.pocketbus.tools.search.Join;
import io.pocketbus.tools.search.JsonSql;
import io.pocketbus.tools.search.MultiMatchSubquery;
import io.pocketbus.tools.search.NullFallback;
import io.pocketbus.tools.search.ResolverResult;
import io.pocketbus.tools.search.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves one identifier for a {@link RecordFieldResolver}: walks the path segment by segment, joining
 * relations into the main query and, in parallel, into a multi-match sub-query that lists every item of a
 * multi-valued path (for the "every item must match" semantics of the plain operators).
 */
final class RecordFieldResolverRunner {

    /** The deepest relation path a field may have. */
    static final int MAX_NESTED_RELS = 6;

    private static final Pattern VIA = Pattern.compile("^(\\w+)_via_(\\w+)$");
    private static final List<String> PLAIN_AUTH_FIELDS = List.of("id", "collectionId", "collectionName", "email",
            "emailVisibility", "verified");

    private final RecordFieldResolver resolver;
    private final String fieldName;

    private List<String> activeProps;
    private String activeCollectionName;
    private String activeTableAlias;
    private boolean nullifyMissingField;
    private boolean withMultiMatch;
    private String mmTargetAlias;
    private String mmFromTable;
    private String mmFromAlias;
    private String mmActiveTableAlias;
    private final List<Join> mmJoins = new ArrayList<>();

    RecordFieldResolverRunner(RecordFieldResolver resolver, String fieldName) {
        this.resolver = resolver;
        this.fieldName = fieldName;
    }

    ResolverResult run() {
        activeProps = new ArrayList<>(Arrays.asList(fieldName.split("\\.", -1)));
        activeCollectionName = resolver.baseCollection.name();
        activeTableAlias = resolver.baseTableAlias();
        // missing @request.* fields are NULL rather than errors
        nullifyMissingField = activeProps.getFirst().equals("@request");
        mmTargetAlias = activeTableAlias;
        mmFromTable = activeCollectionName;
        mmFromAlias = "__mm_" + activeTableAlias;
        mmActiveTableAlias = mmFromAlias;

        if (activeProps.getFirst().equals("@collection")) {
            return processCollectionField();
        }
        if (activeProps.getFirst().equals("@request")) {
            return processRequestField();
        }
        return processActiveProps();
    }

    private ResolverResult processRequestField() {
        if (resolver.requestInfo.isEmpty()) {
            return ResolverResult.raw("NULL");
        }
        if (fieldName.startsWith("@request.auth.")) {
            return processRequestAuthField();
        }
        int total = activeProps.size();
        if (fieldName.startsWith("@request.body.") && total > 2) {
            String[] split = RecordFieldResolver.splitModifier(activeProps.get(2));
            Optional<Field> bodyField = resolver.baseCollection.field(split[0]);
            if (bodyField.isEmpty()) {
                return resolver.resolveStaticRequestField(activeProps.subList(1, total));
            }
            if (bodyField.get() instanceof RelationField rel && total > 3) {
                return processRequestBodyRelationField(rel);
            }
            if (total == 3) {
                switch (split[1]) {
                    case RecordFieldResolver.EACH -> {
                        return processRequestBodyEach(bodyField.get());
                    }
                    case RecordFieldResolver.LENGTH -> {
                        return processRequestBodyLength(bodyField.get());
                    }
                    case RecordFieldResolver.LOWER -> {
                        return processRequestBodyLower(bodyField.get());
                    }
                    case RecordFieldResolver.CHANGED -> {
                        return processRequestBodyChanged(bodyField.get());
                    }
                    default -> {
                    }
                }
            }
        }
        return resolver.resolveStaticRequestField(activeProps.subList(1, total));
    }

    private ResolverResult processCollectionField() {
        if (activeProps.size() < 3) {
            throw new FilterException("invalid @collection field path in " + GoQuote.string(fieldName));
        }
        String[] parts = activeProps.get(1).split(":", 2);
        Collection collection;
        try {
            collection = resolver.loadCollection(parts[0]);
        } catch (FilterException e) {
            throw new FilterException("failed to load collection " + GoQuote.string(activeProps.get(1))
                    + " from field path " + GoQuote.string(fieldName), e);
        }
        activeCollectionName = collection.name();
        activeTableAlias = (parts.length == 2 && !parts[1].isEmpty())
                ? "__collection_alias_" + parts[1] + resolver.joinAliasSuffix
                : "__collection_" + activeCollectionName + resolver.joinAliasSuffix;
        withMultiMatch = true;

        resolver.registerJoin(Optional.of(collection.name()),
                new Join(Sql.raw(Sql.quoteName(collection.name())), activeTableAlias, Optional.empty()));

        mmActiveTableAlias = "__mm_" + activeTableAlias;
        mmJoins.add(new Join(Sql.raw(Sql.quoteName(collection.name())), mmActiveTableAlias, Optional.empty()));

        activeProps = new ArrayList<>(activeProps.subList(2, activeProps.size()));
        return processActiveProps();
    }

    private ResolverResult processRequestAuthField() {
        Optional<Record> auth = resolver.requestInfo.flatMap(RequestInfo::auth);
        if (auth.isEmpty()) {
            return ResolverResult.raw("NULL");
        }
        if (activeProps.size() == 3 && PLAIN_AUTH_FIELDS.contains(activeProps.get(2))) {
            return resolver.resolveStaticRequestField(activeProps.subList(1, activeProps.size()));
        }
        Collection collection = auth.get().collection();
        String authId = auth.get().id();
        activeCollectionName = collection.name();
        activeTableAlias = "__auth_" + activeCollectionName + resolver.joinAliasSuffix;

        resolver.registerJoin(Optional.of(activeCollectionName), new Join(Sql.raw(Sql.quoteName(activeCollectionName)),
                activeTableAlias, Optional.of(idEquals(activeTableAlias, authId))));

        mmActiveTableAlias = "__mm_" + activeTableAlias;
        mmJoins.add(new Join(Sql.raw(Sql.quoteName(activeCollectionName)), mmActiveTableAlias,
                Optional.of(idEquals(mmActiveTableAlias, authId))));

        activeProps = new ArrayList<>(activeProps.subList(2, activeProps.size()));
        return processActiveProps();
    }

    private static Sql idEquals(String alias, String id) {
        return Sql.format(Sql.quoteColumn(alias + ".id") + "=%s", Sql.param(id));
    }

    /** {@code @request.body.f:changed}: submitted and different from the stored value. */
    private ResolverResult processRequestBodyChanged(Field bodyField) {
        String name = bodyField.name();
        Sql alias = FilterCompiler.compile("@request.body." + name + ":isset = true && @request.body." + name + " != "
                + name, resolver, resolver.clock);
        return ResolverResult.of(alias).withNullFallback(NullFallback.DISABLED);
    }

    private ResolverResult processRequestBodyLower(Field bodyField) {
        String raw = FilterCompiler.toGoString(body(bodyField.name()));
        return ResolverResult.of(Sql.format("LOWER(%s)", Sql.param(raw)));
    }

    private ResolverResult processRequestBodyLength(Field bodyField) {
        requireMultiValuer(bodyField);
        return ResolverResult.raw(Integer.toString(toList(body(bodyField.name())).size()));
    }

    private ResolverResult processRequestBodyEach(Field bodyField) {
        requireMultiValuer(bodyField);
        String items = RecordFieldResolver.toJsonText(toList(body(bodyField.name())));
        String jeAlias = "__dataEach_je_" + bodyField.name() + resolver.joinAliasSuffix;
        resolver.registerJoin(Optional.empty(), new Join(Sql.format("json_each(%s)", Sql.param(items)), jeAlias,
                Optional.empty()));
        ResolverResult result = ResolverResult.raw(Sql.quoteColumn(jeAlias + ".value"));
        if (bodyField.isMultiple()) {
            withMultiMatch = true;
        }
        if (withMultiMatch) {
            String jeAlias2 = "__mm_" + jeAlias;
            mmJoins.add(new Join(Sql.format("json_each(%s)", Sql.param(items)), jeAlias2, Optional.empty()));
            result = result.withMultiMatch(multiMatch(Sql.raw(Sql.quoteColumn(jeAlias2 + ".value"))));
        }
        return result;
    }

    private ResolverResult processRequestBodyRelationField(RelationField relField) {
        Collection relCollection;
        try {
            relCollection = resolver.loadCollection(relField.collectionId());
        } catch (FilterException e) {
            throw new FilterException("failed to load collection " + GoQuote.string(relField.collectionId())
                    + " from data field " + GoQuote.string(relField.name()), e);
        }
        List<String> ids = uniqueStrings(body(relField.name()));
        if (ids.isEmpty()) {
            return ResolverResult.raw("NULL");
        }
        activeCollectionName = relCollection.name();
        activeTableAlias = "__data_" + relCollection.name() + "_" + relField.name() + resolver.joinAliasSuffix;

        resolver.registerJoin(Optional.of(activeCollectionName), new Join(Sql.raw(Sql.quoteName(activeCollectionName)),
                activeTableAlias, Optional.of(idIn(activeTableAlias, ids))));
        if (relField.isMultiple()) {
            withMultiMatch = true;
        }
        mmActiveTableAlias = "__mm_" + activeTableAlias;
        mmJoins.add(new Join(Sql.raw(Sql.quoteName(activeCollectionName)), mmActiveTableAlias,
                Optional.of(idIn(mmActiveTableAlias, ids))));

        activeProps = new ArrayList<>(activeProps.subList(3, activeProps.size()));
        return processActiveProps();
    }

    /** {@code "alias"."id"=?} for one id, {@code "alias"."id" IN (?, ?)} for more. */
    private static Sql idIn(String alias, List<String> ids) {
        String column = Sql.quoteColumn(alias + ".id");
        if (ids.size() == 1) {
            return Sql.format(column + "=%s", Sql.param(ids.getFirst()));
        }
        return Sql.format(column + " IN (%s)", Sql.join(", ", ids.stream().map(Sql::param).toList()));
    }

    private ResolverResult processActiveProps() {
        int total = activeProps.size();
        for (int i = 0; i < total; i++) {
            String prop = activeProps.get(i);
            Collection collection;
            try {
                collection = resolver.loadCollection(activeCollectionName);
            } catch (FilterException e) {
                throw new FilterException("failed to resolve field " + GoQuote.string(prop), e);
            }
            if (i == total - 1) {
                return finalizeProp(collection, prop);
            }
            Optional<Field> field = collection.field(prop);
            if (field.isPresent() && field.get().hidden() && !resolver.allowHiddenFields) {
                throw new FilterException("non-filterable field " + GoQuote.string(prop));
            }
            // the rest of the path is a JSON path
            if (field.isPresent() && (field.get() instanceof JsonField || field.get() instanceof GeoPointField)) {
                return jsonPath(prop, activeProps.subList(i + 1, total));
            }
            if (i >= MAX_NESTED_RELS) {
                throw new FilterException("max nested relations reached for field " + GoQuote.string(prop));
            }
            if (field.isEmpty()) {
                Optional<ResolverResult> missing = processBackRelation(collection, prop);
                if (missing.isPresent()) {
                    return missing.get();
                }
                continue;
            }
            if (!(field.get() instanceof RelationField relField)) {
                throw new FilterException("field " + GoQuote.string(prop) + " is not a valid relation");
            }
            Collection relCollection;
            try {
                relCollection = resolver.loadCollection(relField.collectionId());
            } catch (FilterException e) {
                throw new FilterException("failed to load field " + GoQuote.string(prop) + " collection", e);
            }
            // "rel.id" of a single relation is the relation column itself: no join
            if (!relField.isMultiple() && i == total - 2 && activeProps.get(i + 1).equals("id")) {
                return finalizeProp(collection, relField.name());
            }
            joinRelation(relField, relCollection);
        }
        throw new FilterException("failed to resolve field " + GoQuote.string(fieldName));
    }

    private void joinRelation(RelationField relField, Collection relCollection) {
        String name = relField.name();
        String prefixed = Sql.quoteColumn(activeTableAlias + "." + name);
        String newAlias = activeTableAlias + "_" + name + resolver.joinAliasSuffix;
        String relTable = Sql.quoteName(relCollection.name());
        if (!relField.isMultiple()) {
            resolver.registerJoin(Optional.of(relCollection.name()), new Join(Sql.raw(relTable), newAlias,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias + ".id") + " = " + prefixed))));
        } else {
            String jeAlias = "__je_" + newAlias;
            resolver.registerJoin(Optional.empty(), new Join(Sql.raw(JsonSql.jsonEach(prefixed)), jeAlias, Optional.empty()));
            resolver.registerJoin(Optional.of(relCollection.name()), new Join(Sql.raw(relTable), newAlias,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias + ".id") + " = " + Sql.quoteColumn(jeAlias + ".value")))));
        }
        activeCollectionName = relCollection.name();
        activeTableAlias = newAlias;

        if (relField.isMultiple()) {
            withMultiMatch = true;
        }
        String newAlias2 = mmActiveTableAlias + "_" + name;
        String prefixed2 = Sql.quoteColumn(mmActiveTableAlias + "." + name);
        if (!relField.isMultiple()) {
            mmJoins.add(new Join(Sql.raw(relTable), newAlias2,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias2 + ".id") + " = " + prefixed2))));
        } else {
            String jeAlias2 = mmActiveTableAlias + "_" + name + "_je";
            mmJoins.add(new Join(Sql.raw(JsonSql.jsonEach(prefixed2)), jeAlias2, Optional.empty()));
            mmJoins.add(new Join(Sql.raw(relTable), newAlias2,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias2 + ".id") + " = " + Sql.quoteColumn(jeAlias2 + ".value")))));
        }
        mmActiveTableAlias = newAlias2;
    }

    /**
     * {@code otherCollection_via_relField}: joins the records of another collection whose relation points at
     * the current one. Returns a NULL result when the segment cannot be resolved and missing fields are NULL.
     */
    private Optional<ResolverResult> processBackRelation(Collection collection, String prop) {
        Matcher m = VIA.matcher(prop);
        if (!m.matches()) {
            return missing("failed to resolve field " + GoQuote.string(prop));
        }
        Optional<Collection> backCollection = lookupQuietly(m.group(1));
        if (backCollection.isEmpty()) {
            return missing("failed to load back relation field " + GoQuote.string(prop) + " collection");
        }
        Optional<Field> backField = backCollection.get().field(m.group(2));
        if (backField.isEmpty()) {
            return missing("missing back relation field " + GoQuote.string(m.group(2)));
        }
        if (!(backField.get() instanceof RelationField backRel)) {
            return missing("invalid back relation field " + GoQuote.string(m.group(2)));
        }
        if (backRel.hidden() && !resolver.allowHiddenFields) {
            throw new FilterException("non-filterable back relation field " + GoQuote.string(backRel.name()));
        }
        if (!backRel.collectionId().equals(collection.id())) {
            return missing("invalid collection reference of a back relation field " + GoQuote.string(backRel.name()));
        }

        String backField2 = backRel.name();
        String newAlias = activeTableAlias + "_" + prop + resolver.joinAliasSuffix;
        String backTable = backCollection.get().name();
        boolean multiple = backRel.isMultiple();
        if (!multiple) {
            resolver.registerJoin(Optional.of(backTable), new Join(Sql.raw(Sql.quoteName(backTable)), newAlias,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias + "." + backField2) + " = "
                            + Sql.quoteColumn(activeTableAlias + ".id")))));
        } else {
            resolver.registerJoin(Optional.of(backTable), new Join(Sql.raw(Sql.quoteName(backTable)), newAlias,
                    Optional.of(Sql.raw(idInJsonEach(activeTableAlias, "__je_" + newAlias, newAlias + "." + backField2)))));
        }
        activeCollectionName = backTable;
        activeTableAlias = newAlias;

        if (multiple) {
            withMultiMatch = true;
        } else if (!withMultiMatch) {
            // a single relation is one-to-one only when a unique index says so
            withMultiMatch = !IndexInfo.hasSingleColumnUniqueIndex(backCollection.get().indexes(), backField2);
        }
        String newAlias2 = mmActiveTableAlias + "_" + prop + resolver.joinAliasSuffix;
        if (!multiple) {
            mmJoins.add(new Join(Sql.raw(Sql.quoteName(backTable)), newAlias2,
                    Optional.of(Sql.raw(Sql.quoteColumn(newAlias2 + "." + backField2) + " = "
                            + Sql.quoteColumn(mmActiveTableAlias + ".id")))));
        } else {
            mmJoins.add(new Join(Sql.raw(Sql.quoteName(backTable)), newAlias2,
                    Optional.of(Sql.raw(idInJsonEach(mmActiveTableAlias, "__je_" + newAlias2, newAlias2 + "." + backField2)))));
        }
        mmActiveTableAlias = newAlias2;
        return Optional.empty();
    }

    private static String idInJsonEach(String alias, String jeAlias, String column) {
        return Sql.quoteColumn(alias + ".id") + " IN (SELECT " + Sql.quoteColumn(jeAlias + ".value") + " FROM "
                + JsonSql.jsonEach(Sql.quoteColumn(column)) + " " + Sql.quoteName(jeAlias) + ")";
    }

    private Optional<Collection> lookupQuietly(String nameOrId) {
        try {
            return Optional.of(resolver.loadCollection(nameOrId));
        } catch (FilterException e) {
            return Optional.empty();
        }
    }

    private Optional<ResolverResult> missing(String error) {
        if (nullifyMissingField) {
            return Optional.of(ResolverResult.raw("NULL"));
        }
        throw new FilterException(error);
    }

    private ResolverResult jsonPath(String prop, List<String> rest) {
        StringBuilder path = new StringBuilder();
        for (int j = 0; j < rest.size(); j++) {
            String p = columnify(rest.get(j));
            if (isInteger(rest.get(j))) {
                path.append('[').append(p).append(']');
            } else {
                if (j > 0) {
                    path.append('.');
                }
                path.append(p);
            }
        }
        ResolverResult result = ResolverResult.raw(JsonSql.jsonExtract(Sql.quoteColumn(activeTableAlias + "." + prop),
                path.toString())).withNullFallback(NullFallback.DISABLED);
        if (withMultiMatch) {
            result = result.withMultiMatch(multiMatch(Sql.raw(JsonSql.jsonExtract(
                    Sql.quoteColumn(mmActiveTableAlias + "." + prop), path.toString()))));
        }
        return result;
    }

    private ResolverResult finalizeProp(Collection collection, String prop) {
        String[] split = RecordFieldResolver.splitModifier(prop);
        String name = split[0];
        String modifier = split[1];
        Optional<Field> found = collection.field(name);
        if (found.isEmpty()) {
            if (nullifyMissingField) {
                return ResolverResult.raw("NULL");
            }
            throw new FilterException("unknown field " + GoQuote.string(name));
        }
        Field field = found.get();
        if (field.hidden() && !resolver.allowHiddenFields) {
            throw new FilterException("non-filterable field " + GoQuote.string(name));
        }
        boolean multiValuer = isMultiValuer(field);
        String column = Sql.quoteColumn(activeTableAlias + "." + field.name());
        String column2 = Sql.quoteColumn(mmActiveTableAlias + "." + field.name());

        if (modifier.equals(RecordFieldResolver.LENGTH) && multiValuer) {
            ResolverResult result = ResolverResult.raw(JsonSql.jsonArrayLength(column));
            return withMultiMatch ? result.withMultiMatch(multiMatch(Sql.raw(JsonSql.jsonArrayLength(column2)))) : result;
        }

        if (modifier.equals(RecordFieldResolver.EACH) && multiValuer) {
            String jeAlias = "__je_" + activeTableAlias + "_" + field.name() + resolver.joinAliasSuffix;
            resolver.registerJoin(Optional.empty(), new Join(Sql.raw(JsonSql.jsonEach(column)), jeAlias, Optional.empty()));
            ResolverResult result = ResolverResult.raw(Sql.quoteColumn(jeAlias + ".value"));
            if (field.isMultiple()) {
                withMultiMatch = true;
            }
            if (withMultiMatch) {
                String jeAlias2 = "__je_" + mmActiveTableAlias + "_" + field.name() + resolver.joinAliasSuffix;
                mmJoins.add(new Join(Sql.raw(JsonSql.jsonEach(column2)), jeAlias2, Optional.empty()));
                result = result.withMultiMatch(multiMatch(Sql.raw(Sql.quoteColumn(jeAlias2 + ".value"))));
            }
            return result;
        }

        String identifier = column;
        String mmValue = column2;
        NullFallback fallback = NullFallback.AUTO;
        if (field instanceof JsonField) {
            // top-level JSON primitives compare as their SQL values
            identifier = JsonSql.jsonExtract(column, "");
            mmValue = JsonSql.jsonExtract(column2, "");
            fallback = NullFallback.DISABLED;
        }
        if (modifier.equals(RecordFieldResolver.LOWER)) {
            identifier = "LOWER(" + identifier + ")";
            mmValue = "LOWER(" + mmValue + ")";
        }
        ResolverResult result = ResolverResult.raw(identifier).withNullFallback(fallback);
        if (withMultiMatch) {
            result = result.withMultiMatch(multiMatch(Sql.raw(mmValue)));
        }
        // only the emails their owners made public can be filtered on
        if (field.name().equals("email") && !resolver.allowHiddenFields && collection.isAuth()) {
            String visibility = Sql.quoteColumn(activeTableAlias + ".emailVisibility") + " = TRUE";
            result = result.withAfterBuild(expr -> Sql.and(expr, Sql.raw(visibility)).enclose());
        }
        return result;
    }

    private MultiMatchSubquery multiMatch(Sql value) {
        return new MultiMatchSubquery(mmTargetAlias, mmFromTable, mmFromAlias, value, mmJoins);
    }

    private Object body(String name) {
        return resolver.requestInfo.map(RequestInfo::body).map(b -> b.get(name)).orElse(null);
    }

    private static void requireMultiValuer(Field field) {
        if (!isMultiValuer(field)) {
            throw new FilterException("field " + GoQuote.string(field.name()) + " doesn't support multivalue operations");
        }
    }

    /** Select, file and relation fields hold lists (even with maxSelect 1). */
    static boolean isMultiValuer(Field field) {
        return field instanceof SelectField || field instanceof FileField || field instanceof RelationField;
    }

    /** A value as a list: null is empty, a collection its items, anything else one item. */
    private static List<Object> toList(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof java.util.Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        return List.of(value);
    }

    /** Unique non-empty strings of a submitted relation value (a list, a JSON array text or one id). */
    private static List<String> uniqueStrings(Object value) {
        LinkedHashSet<String> out = new LinkedHashSet<>(MultiValues.toList(value));
        out.remove("");
        return new ArrayList<>(out);
    }

    private static String columnify(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Sql.isWordChar(c) || c == '.' || c == '-') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isInteger(String s) {
        return s.matches("[+-]?[0-9]+");
    }
}
