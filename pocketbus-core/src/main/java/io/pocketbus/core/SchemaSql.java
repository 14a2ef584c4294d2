package io.pocketbus.core;

import java.util.ArrayList;
import java.util.List;

/** The SQL that stores collections: {@code _collections} rows, tables, views and indexes. */
final class SchemaSql {
    private SchemaSql() {
    }

    /** Quotes an identifier for SQLite (names are already validated as {@code ^\w+$}). */
    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static void insertCollection(Db db, Collection c) {
        db.exec("INSERT INTO `_collections` (id, system, type, name, fields, indexes, listRule, viewRule, createRule, "
                        + "updateRule, deleteRule, options, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                params(c, true));
    }

    static void updateCollection(Db db, Collection c) {
        List<Object> p = params(c, false);
        p.add(c.id());
        db.exec("UPDATE `_collections` SET system=?, type=?, name=?, fields=?, indexes=?, listRule=?, viewRule=?, "
                + "createRule=?, updateRule=?, deleteRule=?, options=?, created=?, updated=? WHERE id=?", p);
    }

    private static List<Object> params(Collection c, boolean withId) {
        List<Object> p = new ArrayList<>();
        if (withId) {
            p.add(c.id());
        }
        p.add(c.system());
        p.add(c.type().value());
        p.add(c.name());
        p.add(json(c.fields().stream().map(Field::toMap).toList()));
        p.add(json(c.indexes()));
        p.add(c.listRule().orElse(null));
        p.add(c.viewRule().orElse(null));
        p.add(c.createRule().orElse(null));
        p.add(c.updateRule().orElse(null));
        p.add(c.deleteRule().orElse(null));
        p.add(c.optionsJson());
        p.add(c.created());
        p.add(c.updated());
        return p;
    }

    static String json(Object value) {
        try {
            return Field.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code CREATE TABLE} (or {@code CREATE VIEW}) for the collection, then its indexes. */
    static void createTable(Db db, Collection c) {
        if (c.isView()) {
            db.execDdl("CREATE VIEW " + quote(c.tableName()) + " AS " + c.viewQuery());
            return;
        }
        db.execDdl("CREATE TABLE " + quote(c.tableName()) + " (" + columns(c) + ")");
        createIndexes(db, c);
    }

    static String columns(Collection c) {
        List<String> cols = new ArrayList<>();
        for (Field f : c.fields()) {
            cols.add(quote(f.name()) + " " + f.columnDefinition());
        }
        return String.join(", ", cols);
    }

    static void createIndexes(Db db, Collection c) {
        for (String index : c.indexes()) {
            db.execDdl(index);
        }
    }
}
