package io.pocketbus.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.search.FieldResolver;
import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.GoQuote;
import io.pocketbus.tools.search.Join;
import io.pocketbus.tools.search.ResolverResult;
import io.pocketbus.tools.search.SelectQuery;
import io.pocketbus.tools.search.Sql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Resolves the identifiers of rules and filters on a collection's records: fields, relation hops (joins),
 * back-relations ({@code col_via_field}), {@code @collection.*}, {@code @request.*}, modifiers and JSON paths.
 * One resolver serves one query: it remembers the joins its identifiers need and applies them in
 * {@link #updateQuery}.
 *
 * <p>With {@code allowHiddenFields} off (client filters of non-superusers) hidden fields cannot be used, a
 * relation hop needs a non-null listRule on the target collection, and that listRule is added to the query.
 */
public final class RecordFieldResolver implements FieldResolver {

    /** Finds a collection by name or id. */
    @FunctionalInterface
    public interface CollectionLookup {
        Optional<Collection> find(String nameOrId);
    }

    static final String EACH = "each";
    static final String ISSET = "isset";
    static final String LENGTH = "length";
    static final String LOWER = "lower";
    static final String CHANGED = "changed";

    private static final List<Pattern> ALLOWED_FIELDS = List.of(
            Pattern.compile("^\\w+[\\w.:]*$"),
            Pattern.compile("^@request\\.context$"),
            Pattern.compile("^@request\\.method$"),
            Pattern.compile("^@request\\.auth\\.[\\w.:]*\\w+$"),
            Pattern.compile("^@request\\.body\\.[\\w.:]*\\w+$"),
            Pattern.compile("^@request\\.query\\.[\\w.:]*\\w+$"),
            Pattern.compile("^@request\\.headers\\.[\\w.:]*\\w+$"),
            Pattern.compile("^@collection\\.\\w+(:\\w+)?\\.[\\w.:]*\\w+$"));

    /** The decimal forms Go's strconv.ParseFloat reads. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private record RuleJoin(Collection collection, String tableAlias) {
    }

    final CollectionLookup lookup;
    final Collection baseCollection;
    final Optional<RequestInfo> requestInfo;
    final Map<String, Object> staticRequestInfo;
    final Clock clock;
    boolean allowHiddenFields;
    final List<Join> joins = new ArrayList<>();
    private final List<RuleJoin> listRuleJoins = new ArrayList<>();
    /** Makes the aliases of a listRule's own joins unique; empty for the top resolver. */
    final String joinAliasSuffix;
    private final String baseCollectionAlias;
    private final AtomicInteger suffixSeq;

    private RecordFieldResolver(CollectionLookup lookup, Collection baseCollection, Optional<RequestInfo> requestInfo,
                                boolean allowHiddenFields, Clock clock, String joinAliasSuffix,
                                String baseCollectionAlias, AtomicInteger suffixSeq) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.baseCollection = Objects.requireNonNull(baseCollection, "baseCollection");
        this.requestInfo = Objects.requireNonNull(requestInfo, "requestInfo");
        this.allowHiddenFields = allowHiddenFields;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.joinAliasSuffix = joinAliasSuffix;
        this.baseCollectionAlias = baseCollectionAlias;
        this.suffixSeq = suffixSeq;
        this.staticRequestInfo = staticInfo(requestInfo);
    }

    /**
     * A resolver for records of {@code collection}. {@code allowHiddenFields} is true for rules and superusers
     * and false for the client filters of everyone else.
     */
    public static RecordFieldResolver of(App app, Collection collection, RequestInfo requestInfo,
                                         boolean allowHiddenFields) {
        return of(app::findCollectionByNameOrId, collection, Optional.of(requestInfo), allowHiddenFields,
                Clock.systemUTC());
    }

    /** As {@link #of(App, Collection, RequestInfo, boolean)} with an explicit lookup and the macros' clock. */
    public static RecordFieldResolver of(CollectionLookup lookup, Collection collection,
                                         Optional<RequestInfo> requestInfo, boolean allowHiddenFields, Clock clock) {
        return new RecordFieldResolver(lookup, collection, requestInfo, allowHiddenFields, clock, "", "",
                new AtomicInteger());
    }

    public boolean allowHiddenFields() {
        return allowHiddenFields;
    }

    public void setAllowHiddenFields(boolean allow) {
        this.allowHiddenFields = allow;
    }

    public Clock clock() {
        return clock;
    }

    /** The alias the base collection's table has in the query. */
    String baseTableAlias() {
        return baseCollectionAlias.isEmpty() ? baseCollection.name() : baseCollectionAlias;
    }

    @Override
    public ResolverResult resolve(String field) {
        if (ALLOWED_FIELDS.stream().noneMatch(p -> p.matcher(field).matches())) {
            throw new FilterException("failed to resolve field " + GoQuote.string(field));
        }
        return new RecordFieldResolverRunner(this, field).run();
    }

    @Override
    public void updateQuery(SelectQuery query) {
        if (!joins.isEmpty()) {
            query.distinct(true);
            joins.forEach(query::leftJoin);
        }
        for (RuleJoin join : listRuleJoins) {
            applyListRule(join.collection, join.tableAlias, query);
        }
    }

    /**
     * ANDs the listRule of a collection a client filter hopped into. The {@code id=''} alternative keeps the
     * rule from failing rows where the relation is simply empty.
     */
    private void applyListRule(Collection collection, String tableAlias, SelectQuery query) {
        Optional<String> rule = collection.listRule();
        if (allowHiddenFields || rule.isEmpty() || rule.get().isEmpty()) {
            return;
        }
        RecordFieldResolver ruleResolver = new RecordFieldResolver(lookup, collection, requestInfo, true, clock,
                "_lr" + suffixSeq.incrementAndGet(), tableAlias, suffixSeq);
        Sql expr;
        try {
            expr = FilterCompiler.compile("id='' || (\n" + rule.get() + "\n)", ruleResolver, clock);
        } catch (FilterException e) {
            throw new FilterException("failed to build " + GoQuote.string(collection.name())
                    + " ListRule join subquery filter expression: " + e.getMessage(), e);
        }
        query.andWhere(expr);
        if (!ruleResolver.joins.isEmpty()) {
            query.distinct(true);
            ruleResolver.joins.forEach(query::leftJoin);
        }
    }

    Collection loadCollection(String nameOrId) {
        if (nameOrId.equals(baseCollection.name()) || nameOrId.equals(baseCollection.id())) {
            return baseCollection;
        }
        return lookup.find(nameOrId)
                .orElseThrow(() -> new FilterException("missing collection " + GoQuote.string(nameOrId)));
    }

    /**
     * Adds (or replaces, by alias) a join of the main query. {@code collectionName} is set when the join is a
     * collection's table, which then needs a non-null listRule unless hidden fields are allowed.
     */
    void registerJoin(Optional<String> collectionName, Join join) {
        if (!allowHiddenFields && collectionName.isPresent()) {
            Optional<Collection> c = collectionName.get().equals(baseCollection.name())
                    ? Optional.of(baseCollection) : lookup.find(collectionName.get());
            if (c.isPresent()) {
                if (c.get().listRule().isEmpty()) {
                    throw new FilterException(GoQuote.string(c.get().name())
                            + " fields can be accessed only when allowHiddenFields is enabled or by superusers");
                }
                registerRuleJoin(c.get(), join.alias());
            }
        }
        for (int i = 0; i < joins.size(); i++) {
            if (joins.get(i).alias().equals(join.alias())) {
                joins.set(i, join);
                return;
            }
        }
        joins.add(join);
    }

    private void registerRuleJoin(Collection collection, String tableAlias) {
        for (int i = 0; i < listRuleJoins.size(); i++) {
            if (listRuleJoins.get(i).tableAlias.equals(tableAlias)) {
                listRuleJoins.set(i, new RuleJoin(collection, tableAlias));
                return;
            }
        }
        listRuleJoins.add(new RuleJoin(collection, tableAlias));
    }

    /**
     * A plain {@code @request.*} value as a bound parameter: {@code path} is below {@code @request}
     * ({@code body.title:lower}). A missing key resolves to NULL ({@code :isset} to FALSE).
     */
    ResolverResult resolveStaticRequestField(List<String> path) {
        List<String> keys = new ArrayList<>(path);
        String[] split = splitModifier(keys.getLast());
        String lastProp = split[0];
        String modifier = split[1];
        keys.set(keys.size() - 1, lastProp);

        Optional<Object> found = extractNested(staticRequestInfo, keys);
        if (modifier.equals(ISSET)) {
            return ResolverResult.raw(found.isPresent() ? "TRUE" : "FALSE");
        }
        Object value = found.map(v -> v == NULL_VALUE ? null : v).orElse(null);
        if (value instanceof String s) {
            // multipart values arrive as text: compare numbers as numbers
            Optional<Field> field = baseCollection.field(lastProp);
            if (field.isPresent() && field.get() instanceof NumberField && DECIMAL.matcher(s).matches()) {
                value = Double.parseDouble(s);
            }
        } else if (value != null && !(value instanceof Number) && !(value instanceof Boolean)) {
            value = toJsonText(value);
        }
        if (!modifier.isEmpty() && !modifier.equals(LOWER)) {
            throw new FilterException("invalid modifier sequence " + lastProp + ":" + modifier);
        }
        if (value == null) {
            return ResolverResult.raw("NULL");
        }
        if (modifier.equals(LOWER)) {
            return ResolverResult.of(Sql.format("LOWER(%s)", Sql.param(value)));
        }
        return ResolverResult.param(value);
    }

    /** Marks a key that is present with a null value (absent keys are an empty Optional). */
    private static final Object NULL_VALUE = new Object();

    private static Optional<Object> extractNested(Object data, List<String> keys) {
        Object current = data;
        for (String key : keys) {
            if (current instanceof JsonNode node && !node.isValueNode()) {
                current = Field.MAPPER.convertValue(node, Object.class);
            }
            if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(key)) {
                    return Optional.empty();
                }
                current = map.get(key);
            } else if (current instanceof List<?> list) {
                int idx;
                try {
                    idx = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                if (idx < 0 || idx >= list.size()) {
                    return Optional.empty();
                }
                current = list.get(idx);
            } else {
                return Optional.empty();
            }
        }
        if (current instanceof JsonNode node) {
            current = node.isNull() ? null : Field.MAPPER.convertValue(node, Object.class);
        }
        return Optional.of(current == null ? NULL_VALUE : current);
    }

    static String toJsonText(Object value) {
        try {
            return Field.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new FilterException("cannot serialize the value " + value, e);
        }
    }

    /** {@code name:modifier} into {name, modifier}; only the known modifiers are accepted. */
    static String[] splitModifier(String combined) {
        String[] parts = combined.split(":", -1);
        if (parts.length != 2) {
            return new String[] {combined, ""};
        }
        return switch (parts[1]) {
            case ISSET, EACH, LENGTH, LOWER, CHANGED -> parts;
            default -> throw new FilterException("unknown modifier in " + GoQuote.string(combined));
        };
    }

    private static Map<String, Object> staticInfo(Optional<RequestInfo> requestInfo) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (requestInfo.isEmpty()) {
            return info;
        }
        RequestInfo ri = requestInfo.get();
        info.put("context", ri.context());
        info.put("method", ri.method());
        info.put("query", ri.query());
        Map<String, String> headers = new LinkedHashMap<>();
        ri.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT).replace('-', '_'), v));
        info.put("headers", headers);
        info.put("body", ri.body());
        info.put("auth", ri.auth().map(RecordFieldResolver::authValues).orElse(null));
        return info;
    }

    /** The auth record as {@code @request.auth.*} sees it: every field, hidden ones and the email included. */
    private static Map<String, Object> authValues(Record auth) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : auth.collection().fields()) {
            if (!(field instanceof PasswordField)) {
                values.put(field.name(), field.jsonValue(auth.get(field.name())));
            }
        }
        values.put("collectionId", auth.collection().id());
        values.put("collectionName", auth.collection().name());
        return values;
    }
}
