package io.pocketbus.core;

import io.pocketbus.tools.security.RandomStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers a view collection's fields from its SELECT: a column read straight from a collection table keeps
 * that field's type and options; other expressions become number (numeric declared type), bool or json.
 */
final class ViewFields {
    private static final Pattern SOURCE = Pattern.compile(
            "(?i)\\b(?:FROM|JOIN)\\s+[`\"\\[]?(\\w+)[`\"\\]]?(?:\\s+(?:AS\\s+)?[`\"\\[]?(\\w+)[`\"\\]]?)?");
    private static final Pattern ITEM = Pattern.compile(
            "(?is)^(.*?)(?:\\s+(?:AS\\s+)?[`\"\\[]?(\\w+)[`\"\\]]?)?$");
    private static final Pattern COLUMN_REF = Pattern.compile("^[`\"\\[]?(?:(\\w+)[`\"\\]]?\\.[`\"\\[]?)?(\\w+)[`\"\\]]?$");
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("WHERE", "ON", "JOIN", "LEFT", "INNER",
            "GROUP", "ORDER", "LIMIT", "CROSS", "OUTER", "RIGHT", "FULL", "UNION", "HAVING", "NATURAL", "USING");

    private ViewFields() {
    }

    static List<Field> infer(App app, Collection view, Optional<Collection> old) {
        try {
            return fieldsOf(app, view, old);
        } catch (InvalidViewQuery e) {
            throw invalid(e.getMessage());
        }
    }

    /** A view query that cannot be a view; the message is the raw reason. */
    static final class InvalidViewQuery extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidViewQuery(String detail) {
            super(detail);
        }
    }

    /** As {@link #infer}, failing with the raw reason (the dry run reports it unwrapped). */
    static List<Field> fieldsOf(App app, Collection view, Optional<Collection> old) {
        String query = view.viewQuery().trim().replaceAll(";\\s*$", "");
        if (!query.toUpperCase(Locale.ROOT).startsWith("SELECT") && !query.toUpperCase(Locale.ROOT).startsWith("WITH")) {
            throw new InvalidViewQuery("Only SELECT queries are allowed.");
        }
        if (query.contains(";")) {
            throw new InvalidViewQuery("Only a single statement is allowed.");
        }
        List<String[]> columns;
        String probe = "_pb_view_probe_" + RandomStrings.random(8, RandomStrings.ID_ALPHABET);
        try {
            app.db().execDdl("CREATE TEMP VIEW " + SchemaSql.quote(probe) + " AS " + query);
            columns = app.db().query("SELECT name, type FROM pragma_table_info(?)", List.of(probe),
                    rs -> new String[] {rs.getString(1), rs.getString(2)});
        } catch (Db.DbException e) {
            throw new InvalidViewQuery(e.detail());
        } finally {
            try {
                app.db().execDdl("DROP VIEW IF EXISTS temp." + SchemaSql.quote(probe));
            } catch (Db.DbException ignored) {
                // the probe was never created
            }
        }
        Map<String, String> expressions = new LinkedHashMap<>();
        Map<String, Source> sources = sourceFields(app, query, expressions);
        List<Field> fields = new ArrayList<>();
        boolean hasId = false;
        for (String[] col : columns) {
            String name = col[0];
            Field f;
            if (name.equals("id")) {
                hasId = true;
                f = viewIdField();
            } else {
                Field src = Optional.ofNullable(sources.get(name)).map(Source::field).orElse(null);
                f = src != null ? src.copy()
                        : byExpression(name, expressions.getOrDefault(name, ""), col[1] == null ? "" : col[1]);
                f.setName(name);
                String keep = old.flatMap(o -> o.field(name)).filter(x -> x.type().equals(f.type()))
                        .map(Field::id).orElse("");
                f.setId(!keep.isEmpty() ? keep : src != null ? "_clone_" + RandomStrings.random(4)
                        : Field.defaultId(f.type(), name));
            }
            fields.add(f);
        }
        if (!hasId) {
            throw new InvalidViewQuery("Missing required id column (you can use \"(ROW_NUMBER() OVER()) as id\" if you don't have one).");
        }
        return fields;
    }

    private static ApiError invalid(String detail) {
        return ApiError.badRequest("Failed to create collection.", Map.of("viewQuery",
                ValidationError.of("validation_invalid_view_query", "Invalid query - " + detail)));
    }

    static TextField viewIdField() {
        TextField id = new TextField("id");
        id.setId(Field.defaultId("text", "id"));
        id.setSystem(true);
        id.setPattern("^[a-z0-9]+$").setRequired(true).setPrimaryKey(true);
        return id;
    }

    private static final Pattern NUMERIC_EXPR = Pattern.compile(
            "(?is)^\\(*\\s*(count|total|sum|avg)\\s*\\(.*|^cast\\s*\\(.*\\bas\\s+(integer|int|real|numeric|float|double)\\s*\\)$");
    private static final Pattern TEXT_CAST = Pattern.compile("(?is)^cast\\s*\\(.*\\bas\\s+text\\s*\\)$");
    private static final Pattern BOOL_CAST = Pattern.compile("(?is)^cast\\s*\\(.*\\bas\\s+bool(ean)?\\s*\\)$");

    /** Aggregates and casts decide the type of computed columns; otherwise the declared type does. */
    private static Field byExpression(String name, String expr, String declared) {
        String e = expr.trim();
        if (NUMERIC_EXPR.matcher(e).matches()) {
            return new NumberField(name);
        }
        if (TEXT_CAST.matcher(e).matches()) {
            return new TextField(name);
        }
        if (BOOL_CAST.matcher(e).matches()) {
            return new BoolField(name);
        }
        String t = declared.toUpperCase(Locale.ROOT);
        if (t.contains("INT") || t.contains("REAL") || t.contains("NUM") || t.contains("FLOA") || t.contains("DOUB")) {
            return new NumberField(name);
        }
        if (t.contains("BOOL")) {
            return new BoolField(name);
        }
        return new JsonField(name);
    }

    /** A collection field that a view column reads directly. */
    private record Source(Collection collection, Field field) { }

    /** PocketBase's limit on views over views when looking for a view file's record. */
    private static final int MAX_VIEW_FILE_DEPTH = 5;

    /**
     * The record that holds a view collection's file, as PocketBase's {@code FindRecordByViewFile}: the view
     * column's source field is followed through views over views (up to {@value #MAX_VIEW_FILE_DEPTH}), then
     * the first record of the source collection whose field holds {@code filename}. Empty when the column
     * is not read from a collection's file field or no record holds the file.
     */
    static Optional<Record> findRecordByViewFile(App app, Collection view, String fieldName, String filename) {
        Collection current = view;
        String column = fieldName;
        for (int level = 1; level <= MAX_VIEW_FILE_DEPTH; level++) {
            String query = current.viewQuery().trim().replaceAll(";\\s*$", "");
            Source source = sourceFields(app, query, new LinkedHashMap<>()).get(column);
            if (source == null) {
                return Optional.empty();
            }
            if (source.collection().isView()) {
                current = source.collection();
                column = source.field().name();
                continue;
            }
            if (!(source.field() instanceof FileField file)) {
                return Optional.empty();
            }
            String table = SchemaSql.quote(source.collection().tableName());
            String col = SchemaSql.quote(file.name());
            String sql = file.isMultiple()
                    ? "SELECT " + table + ".* FROM " + table + " INNER JOIN "
                            + io.pocketbus.tools.search.JsonSql.jsonEach(table + "." + col) + " je WHERE je.value = ? LIMIT 1"
                    : "SELECT * FROM " + table + " WHERE " + col + " = ? LIMIT 1";
            return app.findRecordsBySql(source.collection(), sql, List.of(filename)).stream().findFirst();
        }
        return Optional.empty();
    }

    /** Result column name → the collection field it reads directly, for plain column references. */
    private static Map<String, Source> sourceFields(App app, String query, Map<String, String> expressions) {
        Map<String, Collection> aliases = new LinkedHashMap<>();
        Matcher m = SOURCE.matcher(query);
        Collection first = null;
        while (m.find()) {
            Optional<Collection> c = app.findCollectionByNameOrId(m.group(1));
            if (c.isEmpty()) {
                continue;
            }
            aliases.put(m.group(1).toLowerCase(Locale.ROOT), c.get());
            String alias = m.group(2);
            if (alias != null && !KEYWORDS.contains(alias.toUpperCase(Locale.ROOT))) {
                aliases.put(alias.toLowerCase(Locale.ROOT), c.get());
            }
            if (first == null) {
                first = c.get();
            }
        }
        Map<String, Source> out = new LinkedHashMap<>();
        for (String item : selectItems(query)) {
            Matcher im = ITEM.matcher(item.trim());
            if (!im.matches()) {
                continue;
            }
            String expr = im.group(1).trim();
            String alias = im.group(2);
            if (expr.isEmpty() && alias != null) {
                expr = alias;
            }
            expressions.put(alias != null ? alias : expr.replaceAll("^.*\\.", "").replaceAll("[`\"\\[\\]]", ""), expr);
            if (expr.equals("*") || expr.endsWith(".*")) {
                Collection src = expr.equals("*") ? first : aliases.get(expr.substring(0, expr.length() - 2)
                        .replaceAll("[`\"\\[\\]]", "").toLowerCase(Locale.ROOT));
                if (src != null) {
                    src.fields().forEach(f -> out.putIfAbsent(f.name(), new Source(src, f)));
                }
                continue;
            }
            Matcher cm = COLUMN_REF.matcher(expr);
            if (!cm.matches()) {
                continue;
            }
            Collection src = cm.group(1) == null ? first : aliases.get(cm.group(1).toLowerCase(Locale.ROOT));
            if (src == null) {
                continue;
            }
            Optional<Field> f = src.field(cm.group(2));
            if (f.isPresent()) {
                out.put(alias != null ? alias : cm.group(2), new Source(src, f.get()));
            }
        }
        return out;
    }

    /** The top-level comma-separated items between SELECT and the first top-level FROM. */
    private static List<String> selectItems(String query) {
        String q = query.trim();
        int start = q.toUpperCase(Locale.ROOT).indexOf("SELECT") + "SELECT".length();
        List<String> items = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        String upper = q.toUpperCase(Locale.ROOT);
        for (int i = start; i < q.length(); i++) {
            char ch = q.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            }
            if (depth == 0 && upper.startsWith("FROM", i) && (i == 0 || !Character.isLetterOrDigit(q.charAt(i - 1)))
                    && (i + 4 >= q.length() || !Character.isLetterOrDigit(q.charAt(i + 4)))) {
                break;
            }
            if (depth == 0 && ch == ',') {
                items.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!cur.toString().isBlank()) {
            items.add(cur.toString());
        }
        String firstItem = items.isEmpty() ? "" : items.get(0).trim();
        if (firstItem.toUpperCase(Locale.ROOT).startsWith("DISTINCT ")) {
            items.set(0, firstItem.substring("DISTINCT ".length()));
        }
        return items;
    }
}
