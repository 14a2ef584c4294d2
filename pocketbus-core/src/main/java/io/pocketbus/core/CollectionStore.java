package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code _collections} and caches the collections by id and lower-cased name. */
final class CollectionStore {
    private final Db db;
    private volatile Map<String, Collection> byId = Map.of();
    private volatile Map<String, Collection> byName = Map.of();
    private volatile List<Collection> ordered = List.of();

    CollectionStore(Db db) {
        this.db = db;
    }

    private static final String SELECT = "SELECT id, system, type, name, fields, indexes, listRule, viewRule, "
            + "createRule, updateRule, deleteRule, options, created, updated FROM _collections";

    /** Reloads every collection from the database. */
    void reload() {
        set(db.query(SELECT + " ORDER BY rowid", List.of(), CollectionStore::map));
    }

    /** One collection freshly read from the database (not the cached instance). */
    Optional<Collection> load(String id) {
        return db.queryOne(SELECT + " WHERE id = ?", List.of(id), CollectionStore::map);
    }

    private static Collection map(java.sql.ResultSet rs) throws java.sql.SQLException {
        ObjectNode json = Field.MAPPER.createObjectNode();
        json.put("id", rs.getString("id"));
        json.put("system", rs.getBoolean("system"));
        json.put("type", rs.getString("type"));
        json.put("name", rs.getString("name"));
        json.set("fields", parse(rs.getString("fields"), "[]"));
        json.set("indexes", parse(rs.getString("indexes"), "[]"));
        for (String rule : List.of("listRule", "viewRule", "createRule", "updateRule", "deleteRule")) {
            String v = rs.getString(rule);
            if (v == null) {
                json.putNull(rule);
            } else {
                json.put(rule, v);
            }
        }
        json.put("created", rs.getString("created"));
        json.put("updated", rs.getString("updated"));
        JsonNode options = parse(rs.getString("options"), "{}");
        options.properties().forEach(e -> json.set(e.getKey(), e.getValue()));
        return Collection.fromJson(json);
    }

    private void set(List<Collection> all) {
        Map<String, Collection> ids = new LinkedHashMap<>();
        Map<String, Collection> names = new LinkedHashMap<>();
        for (Collection c : all) {
            ids.put(c.id(), c);
            names.put(c.name().toLowerCase(Locale.ROOT), c);
        }
        byId = ids;
        byName = names;
        ordered = List.copyOf(all);
    }

    private static JsonNode parse(String text, String fallback) {
        try {
            return Field.MAPPER.readTree(text == null || text.isBlank() ? fallback : text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt _collections JSON: " + e.getMessage(), e);
        }
    }

    List<Collection> all() {
        return ordered;
    }

    Optional<Collection> find(String nameOrId) {
        Collection c = byId.get(nameOrId);
        if (c == null) {
            c = byName.get(nameOrId.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(c);
    }
}
