package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A collection: its schema ({@link Field}s), API rules, indexes and type-specific options. Rules are
 * {@code Optional.empty()} for "superusers only" (JSON {@code null}) and {@code ""} for "anyone".
 */
public final class Collection {
    public static final String SUPERUSERS = "_superusers";
    public static final String USERS_ID = "_pb_users_auth_";

    private String id = "";
    private String name = "";
    private CollectionType type = CollectionType.BASE;
    private boolean system;
    private String listRule;
    private String viewRule;
    private String createRule;
    private String updateRule;
    private String deleteRule;
    /** Immutable, replaced on every change: records read it on each load and export, so it is never copied there. */
    private List<Field> fields = List.of();
    private List<String> indexes = new ArrayList<>();
    private String created = "";
    private String updated = "";
    private String viewQuery = "";
    private AuthOptions authOptions;
    private boolean markedNew;

    public Collection(CollectionType type, String name) {
        this.type = type;
        this.name = name;
        if (type == CollectionType.AUTH) {
            authOptions = AuthOptions.defaults();
        }
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public CollectionType type() {
        return type;
    }

    public boolean isAuth() {
        return type == CollectionType.AUTH;
    }

    public boolean isView() {
        return type == CollectionType.VIEW;
    }

    public boolean isBase() {
        return type == CollectionType.BASE;
    }

    public boolean system() {
        return system;
    }

    public boolean isSuperusers() {
        return SUPERUSERS.equals(name);
    }

    public Optional<String> listRule() {
        return Optional.ofNullable(listRule);
    }

    public Optional<String> viewRule() {
        return Optional.ofNullable(viewRule);
    }

    public Optional<String> createRule() {
        return Optional.ofNullable(createRule);
    }

    public Optional<String> updateRule() {
        return Optional.ofNullable(updateRule);
    }

    public Optional<String> deleteRule() {
        return Optional.ofNullable(deleteRule);
    }

    /** Fields in schema order (an unmodifiable snapshot of the list; the fields themselves are live). */
    public List<Field> fields() {
        return fields;
    }

    public Optional<Field> field(String fieldName) {
        for (Field f : fields) {
            if (f.name().equals(fieldName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public Optional<Field> fieldById(String fieldId) {
        for (Field f : fields) {
            if (f.id().equals(fieldId)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public List<String> indexes() {
        return List.copyOf(indexes);
    }

    public String created() {
        return created;
    }

    public String updated() {
        return updated;
    }

    /** The SELECT of a view collection ({@code ""} for other types). */
    public String viewQuery() {
        return viewQuery;
    }

    /** Auth options; present only for auth collections. */
    public Optional<AuthOptions> authOptions() {
        return Optional.ofNullable(authOptions);
    }

    /** Auth options, failing for non-auth collections. */
    public AuthOptions auth() {
        if (authOptions == null) {
            throw ApiError.badRequest("Missing or invalid auth collection context.");
        }
        return authOptions;
    }

    public void setId(String id) {
        this.id = id == null ? "" : id;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    public void setSystem(boolean system) {
        this.system = system;
    }

    public void setListRule(Optional<String> rule) {
        this.listRule = rule.orElse(null);
    }

    public void setViewRule(Optional<String> rule) {
        this.viewRule = rule.orElse(null);
    }

    public void setCreateRule(Optional<String> rule) {
        this.createRule = rule.orElse(null);
    }

    public void setUpdateRule(Optional<String> rule) {
        this.updateRule = rule.orElse(null);
    }

    public void setDeleteRule(Optional<String> rule) {
        this.deleteRule = rule.orElse(null);
    }

    public void setFields(List<Field> newFields) {
        this.fields = List.copyOf(newFields);
    }

    /** Adds a field, or replaces the one with the same id (or, lacking ids, the same name). */
    public void addField(Field field) {
        List<Field> changed = new ArrayList<>(fields);
        for (int i = 0; i < changed.size(); i++) {
            Field f = changed.get(i);
            boolean same = !field.id().isEmpty() ? f.id().equals(field.id()) : f.name().equals(field.name());
            if (same) {
                changed.set(i, field);
                fields = List.copyOf(changed);
                return;
            }
        }
        changed.add(field);
        fields = List.copyOf(changed);
    }

    public void removeField(String fieldName) {
        List<Field> changed = new ArrayList<>(fields);
        changed.removeIf(f -> f.name().equals(fieldName));
        fields = List.copyOf(changed);
    }

    public void setIndexes(List<String> indexes) {
        this.indexes = new ArrayList<>(indexes);
    }

    public void setCreated(String created) {
        this.created = created;
    }

    public void setUpdated(String updated) {
        this.updated = updated;
    }

    public void setViewQuery(String viewQuery) {
        this.viewQuery = viewQuery == null ? "" : viewQuery;
    }

    public void setAuthOptions(AuthOptions options) {
        this.authOptions = options;
    }

    /**
     * Marks this collection as one to create: saving it fails with a validation error when its id is
     * already used, instead of updating that collection (for create endpoints that accept a client id).
     * Without the mark, {@link App#save(Collection)} updates when the id exists and creates otherwise.
     */
    public Collection markAsNew() {
        this.markedNew = true;
        return this;
    }

    public boolean isMarkedNew() {
        return markedNew;
    }

    /** The table (or view) name. */
    public String tableName() {
        return name;
    }

    /** A deep copy. */
    public Collection copy() {
        return fromJson(Field.MAPPER.valueToTree(toMap(true)));
    }

    /**
     * The collection JSON in PocketBase's key order: id, listRule, viewRule, createRule, updateRule,
     * deleteRule, name, type, fields, indexes, created, updated, system, then auth options (token secrets
     * only when {@code withSecrets}) or {@code viewQuery}.
     */
    public Map<String, Object> toMap(boolean withSecrets) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("listRule", listRule);
        out.put("viewRule", viewRule);
        out.put("createRule", createRule);
        out.put("updateRule", updateRule);
        out.put("deleteRule", deleteRule);
        out.put("name", name);
        out.put("type", type.value());
        out.put("fields", fields.stream().map(Field::toMap).toList());
        out.put("indexes", List.copyOf(indexes));
        out.put("created", created);
        out.put("updated", updated);
        out.put("system", system);
        if (type == CollectionType.AUTH) {
            ObjectNode opts = withSecrets ? authOptions.toJson() : authOptions.toPublicJson();
            opts.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        } else if (type == CollectionType.VIEW) {
            out.put("viewQuery", viewQuery);
        }
        return out;
    }

    /** The API form (no token secrets). */
    public Map<String, Object> toMap() {
        return toMap(false);
    }

    /** The {@code options} column as PocketBase stores it. */
    String optionsJson() {
        try {
            return switch (type) {
                case AUTH -> Field.MAPPER.writeValueAsString(authOptions.toJson());
                case VIEW -> Field.MAPPER.writeValueAsString(Map.of("viewQuery", viewQuery));
                case BASE -> "{}";
            };
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the API/export JSON form. Unknown field types throw {@link IllegalArgumentException}; unknown keys
     * are ignored.
     */
    public static Collection fromJson(JsonNode json) {
        CollectionType type = CollectionType.of(json.path("type").asText("base")).orElse(CollectionType.BASE);
        Collection c = new Collection(type, json.path("name").asText(""));
        c.id = json.path("id").asText("");
        c.system = json.path("system").asBoolean(false);
        c.listRule = ruleOf(json, "listRule");
        c.viewRule = ruleOf(json, "viewRule");
        c.createRule = ruleOf(json, "createRule");
        c.updateRule = ruleOf(json, "updateRule");
        c.deleteRule = ruleOf(json, "deleteRule");
        if (json.path("fields").isArray()) {
            List<Field> fields = new ArrayList<>();
            json.get("fields").forEach(f -> fields.add(Field.fromJson(f)));
            c.fields = List.copyOf(fields);
        }
        if (json.path("indexes").isArray()) {
            json.get("indexes").forEach(i -> c.indexes.add(i.asText()));
        }
        c.created = json.path("created").asText("");
        c.updated = json.path("updated").asText("");
        if (type == CollectionType.VIEW) {
            c.viewQuery = json.path("viewQuery").asText("");
        }
        if (type == CollectionType.AUTH) {
            c.authOptions = AuthOptions.fromJson(json);
        }
        return c;
    }

    private static String ruleOf(JsonNode json, String key) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** PocketBase's default collection id: {@code pbc_} + crc32(type + name). */
    public static String defaultId(CollectionType type, String name) {
        return "pbc_" + Field.crc32(type.value() + name);
    }

    @Override
    public String toString() {
        return "Collection[" + name + "]";
    }
}
