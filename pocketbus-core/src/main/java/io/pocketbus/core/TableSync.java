package io.pocketbus.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a collection's table (or view) in line with its schema. Column changes (add, rename, drop, a
 * field switching between single and multiple) rebuild the table in place — create the new shape, copy the
 * rows across converting values, drop the old table, rename — which SQLite supports for every change.
 * Runs inside the caller's transaction, so a failure leaves the old table untouched.
 */
final class TableSync {
    private TableSync() {
    }

    static void sync(Db db, Optional<Collection> old, Collection c) {
        if (c.isView()) {
            old.ifPresent(o -> db.execDdl("DROP VIEW IF EXISTS " + SchemaSql.quote(o.tableName())));
            SchemaSql.createTable(db, c);
            return;
        }
        if (old.isEmpty()) {
            SchemaSql.createTable(db, c);
            return;
        }
        Collection o = old.get();
        for (String index : o.indexes()) {
            IndexSql.parse(index).ifPresent(p -> db.execDdl("DROP INDEX IF EXISTS " + SchemaSql.quote(p.name())));
        }
        if (needsRebuild(o, c)) {
            rebuild(db, o, c);
        }
        SchemaSql.createIndexes(db, c);
    }

    private static boolean needsRebuild(Collection o, Collection c) {
        if (!o.tableName().equals(c.tableName())) {
            return true;
        }
        List<Field> before = o.fields();
        List<Field> after = c.fields();
        if (before.size() != after.size()) {
            return true;
        }
        for (int i = 0; i < after.size(); i++) {
            Field a = before.get(i);
            Field b = after.get(i);
            if (!a.id().equals(b.id()) || !a.name().equals(b.name())
                    || !a.columnDefinition().equals(b.columnDefinition())) {
                return true;
            }
        }
        return false;
    }

    private static void rebuild(Db db, Collection o, Collection c) {
        String temp = "_pb_rebuild_" + c.tableName();
        db.execDdl("DROP TABLE IF EXISTS " + SchemaSql.quote(temp));
        db.execDdl("CREATE TABLE " + SchemaSql.quote(temp) + " (" + SchemaSql.columns(c) + ")");
        List<String> targets = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> existingColumns = db.query("SELECT name FROM pragma_table_info(?)", List.of(o.tableName()),
                rs -> rs.getString(1));
        for (Field f : c.fields()) {
            Optional<Field> prev = o.fieldById(f.id()).or(() -> f.id().isEmpty() ? o.field(f.name()) : Optional.empty());
            if (prev.isEmpty() || !existingColumns.contains(prev.get().name())) {
                continue;
            }
            targets.add(SchemaSql.quote(f.name()));
            sources.add(convert(SchemaSql.quote(prev.get().name()), prev.get(), f));
        }
        if (!targets.isEmpty()) {
            db.execDdl("INSERT INTO " + SchemaSql.quote(temp) + " (" + String.join(", ", targets) + ") SELECT "
                    + String.join(", ", sources) + " FROM " + SchemaSql.quote(o.tableName()));
        }
        db.execDdl("DROP TABLE " + SchemaSql.quote(o.tableName()));
        db.execDdl("ALTER TABLE " + SchemaSql.quote(temp) + " RENAME TO " + SchemaSql.quote(c.tableName()));
    }

    /** The SELECT expression reading the old column into the new field's column. */
    private static String convert(String col, Field from, Field to) {
        boolean wasMulti = from.isMultiple();
        boolean isMulti = to.isMultiple();
        if (!wasMulti && isMulti) {
            return "CASE WHEN " + col + " IS NULL OR " + col + " = '' THEN '[]' WHEN json_valid(" + col
                    + ") AND json_type(" + col + ") = 'array' THEN " + col + " ELSE json_array(" + col + ") END";
        }
        if (wasMulti && !isMulti) {
            return "COALESCE(CASE WHEN json_valid(" + col + ") AND json_type(" + col + ") = 'array' THEN json_extract("
                    + col + ", '$[#-1]') ELSE " + col + " END, '')";
        }
        return switch (to) {
            case NumberField nf -> "COALESCE(" + col + ", 0)";
            case BoolField bf -> "COALESCE(" + col + ", FALSE)";
            case JsonField jf -> col;
            case GeoPointField gf -> "COALESCE(" + col + ", '{\"lon\":0,\"lat\":0}')";
            default -> isMulti ? "COALESCE(" + col + ", '[]')" : "COALESCE(" + col + ", '')";
        };
    }
}
