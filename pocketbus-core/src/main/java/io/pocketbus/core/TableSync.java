package io.pocketbus.core;

import io.pocketbus.tools.security.RandomStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a collection's table (or view) in line with its schema, inside the caller's transaction so a
 * failure leaves the old table untouched. Column and table renames use {@code ALTER TABLE ... RENAME}, which
 * also rewrites the views using them; added, dropped or redefined columns (e.g. a field switching between
 * single and multiple) rebuild the table: create the new shape, copy the rows across converting values, drop
 * the old table, rename.
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
        renameColumns(db, o, c);
        if (!o.tableName().equals(c.tableName())) {
            db.execDdl("ALTER TABLE " + SchemaSql.quote(o.tableName()) + " RENAME TO " + SchemaSql.quote(c.tableName()));
        }
        if (needsRebuild(o, c)) {
            rebuild(db, o, c);
        }
        SchemaSql.createIndexes(db, c);
    }

    /**
     * Renames first, with ALTER TABLE, so SQLite also rewrites the views that use the names. Each renamed column
     * goes through a temporary name, as PocketBase does, so names can be swapped or rotated in one save.
     */
    private static void renameColumns(Db db, Collection o, Collection c) {
        String table = SchemaSql.quote(o.tableName());
        List<String[]> renames = new ArrayList<>();
        for (Field f : c.fields()) {
            Optional<Field> prev = o.fieldById(f.id());
            if (prev.isPresent() && !prev.get().name().equals(f.name())) {
                String temp = "_pb_rename_" + renames.size() + "_" + RandomStrings.random(8, RandomStrings.ID_ALPHABET);
                renames.add(new String[] {prev.get().name(), temp, f.name()});
            }
        }
        for (String[] r : renames) {
            db.execDdl("ALTER TABLE " + table + " RENAME COLUMN " + SchemaSql.quote(r[0]) + " TO " + SchemaSql.quote(r[1]));
        }
        for (String[] r : renames) {
            db.execDdl("ALTER TABLE " + table + " RENAME COLUMN " + SchemaSql.quote(r[1]) + " TO " + SchemaSql.quote(r[2]));
        }
    }

    /** After the renames: any added, dropped or redefined column needs the table rebuilt. */
    private static boolean needsRebuild(Collection o, Collection c) {
        if (o.fields().size() != c.fields().size()) {
            return true;
        }
        for (Field f : c.fields()) {
            Optional<Field> prev = o.fieldById(f.id());
            if (prev.isEmpty() || !prev.get().columnDefinition().equals(f.columnDefinition())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rebuilds {@code c}'s table (already carrying the new column names) in the new shape. The final rename
     * runs with {@code legacy_alter_table} so views over the table are kept as they are rather than checked
     * against the half-done schema.
     */
    private static void rebuild(Db db, Collection o, Collection c) {
        String table = c.tableName();
        String temp = "_pb_rebuild_" + table;
        db.execDdl("DROP TABLE IF EXISTS " + SchemaSql.quote(temp));
        db.execDdl("CREATE TABLE " + SchemaSql.quote(temp) + " (" + SchemaSql.columns(c) + ")");
        List<String> targets = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> existingColumns = db.query("SELECT name FROM pragma_table_info(?)", List.of(table),
                rs -> rs.getString(1));
        for (Field f : c.fields()) {
            Optional<Field> prev = o.fieldById(f.id()).or(() -> f.id().isEmpty() ? o.field(f.name()) : Optional.empty());
            if (prev.isEmpty() || !existingColumns.contains(f.name())) {
                continue;
            }
            targets.add(SchemaSql.quote(f.name()));
            sources.add(convert(SchemaSql.quote(f.name()), prev.get(), f));
        }
        if (!targets.isEmpty()) {
            db.execDdl("INSERT INTO " + SchemaSql.quote(temp) + " (" + String.join(", ", targets) + ") SELECT "
                    + String.join(", ", sources) + " FROM " + SchemaSql.quote(table));
        }
        db.execDdl("DROP TABLE " + SchemaSql.quote(table));
        db.execDdl("PRAGMA legacy_alter_table = ON");
        try {
            db.execDdl("ALTER TABLE " + SchemaSql.quote(temp) + " RENAME TO " + SchemaSql.quote(table));
        } finally {
            db.execDdl("PRAGMA legacy_alter_table = OFF");
        }
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
