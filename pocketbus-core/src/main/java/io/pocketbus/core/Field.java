package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * One field of a collection schema. Each PocketBase field type is its own class; the JSON form has the
 * common keys {@code id, name, type, system, hidden, presentable, help?} plus the type's options, in
 * alphabetical order as PocketBase stores and serves them.
 */
public abstract sealed class Field permits TextField, NumberField, BoolField, DomainField, EditorField,
        DateField, AutodateField, SelectField, FileField, RelationField, JsonField, PasswordField, GeoPointField {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private String id = "";
    private String name = "";
    private boolean system;
    private boolean hidden;
    private boolean presentable;
    private String help;

    protected Field(String name) {
        this.name = name;
    }

    /** The PocketBase type name, e.g. {@code text}. */
    public abstract String type();

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean system() {
        return system;
    }

    public boolean hidden() {
        return hidden;
    }

    public boolean presentable() {
        return presentable;
    }

    public Optional<String> help() {
        return Optional.ofNullable(help);
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

    public void setHidden(boolean hidden) {
        this.hidden = hidden;
    }

    public void setPresentable(boolean presentable) {
        this.presentable = presentable;
    }

    public void setHelp(String help) {
        this.help = help;
    }

    /** True for select/file/relation fields holding a list of values. */
    public boolean isMultiple() {
        return false;
    }

    /** Whether the field is marked required (bool: must be true). Autodate fields are never required. */
    public abstract boolean required();

    /**
     * Normalises any input (JSON body value, database column value, multipart string) into the canonical
     * Java value this field holds in a {@link Record}.
     */
    public abstract Object prepareValue(Object raw);

    /** The canonical value as bound to a SQL parameter. */
    public Object dbValue(Object value) {
        return value;
    }

    /** The canonical value as written to JSON output. */
    public Object jsonValue(Object value) {
        return value;
    }

    /** The value a new record starts with. */
    public Object zeroValue() {
        return prepareValue(null);
    }

    /** True when the canonical value counts as blank for {@code required}. */
    public boolean isBlank(Object value) {
        return value == null || "".equals(value) || (value instanceof java.util.List<?> l && l.isEmpty());
    }

    /**
     * Validates the record's value of this field (PocketBase's {@code ValidateValue}); empty when valid.
     * Required checks are included; cross-record checks (relations) use {@code app}.
     */
    public abstract Optional<ValidationError> validateValue(App app, Record record);

    /** Shorthand for a field error with params rendered into the message. */
    static Optional<ValidationError> error(String code, String message, Map<String, Object> params) {
        String rendered = message;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            rendered = rendered.replace("{{" + e.getKey() + "}}", String.valueOf(e.getValue()));
        }
        return Optional.of(ValidationError.of(code, rendered, params));
    }

    static Optional<ValidationError> error(String code, String message) {
        return Optional.of(ValidationError.of(code, message));
    }

    /** The common required check; empty when the value is present or not required. */
    Optional<ValidationError> requiredError(Object value) {
        return required() && isBlank(value) ? Optional.of(ValidationError.required()) : Optional.empty();
    }

    /** The SQL column definition PocketBase gives this field, e.g. {@code TEXT DEFAULT '' NOT NULL}. */
    public abstract String columnDefinition();

    /** Writes the type-specific options. */
    protected abstract void writeOptions(Map<String, Object> out);

    /** Reads the type-specific options, leaving defaults for missing keys. */
    protected abstract void readOptions(JsonNode node);

    /** The field JSON with alphabetical keys. */
    public final Map<String, Object> toMap() {
        Map<String, Object> out = new TreeMap<>();
        out.put("id", id);
        out.put("name", name);
        out.put("type", type());
        out.put("system", system);
        out.put("hidden", hidden);
        out.put("presentable", presentable);
        if (help != null) {
            out.put("help", help);
        }
        writeOptions(out);
        return out;
    }

    /** A deep copy through the JSON form. */
    public Field copy() {
        return fromJson(MAPPER.valueToTree(toMap()));
    }

    /** A blank field of {@code type}; empty when the type is unknown. */
    public static Optional<Field> ofType(String type, String name) {
        Field f = switch (type) {
            case "text" -> new TextField(name);
            case "number" -> new NumberField(name);
            case "bool" -> new BoolField(name);
            case "email" -> new EmailField(name);
            case "url" -> new UrlField(name);
            case "editor" -> new EditorField(name);
            case "date" -> new DateField(name);
            case "autodate" -> new AutodateField(name);
            case "select" -> new SelectField(name);
            case "file" -> new FileField(name);
            case "relation" -> new RelationField(name);
            case "json" -> new JsonField(name);
            case "password" -> new PasswordField(name);
            case "geoPoint" -> new GeoPointField(name);
            default -> null;
        };
        return Optional.ofNullable(f);
    }

    /** Reads a field from its JSON form; throws {@link IllegalArgumentException} for an unknown type. */
    public static Field fromJson(JsonNode node) {
        String type = node.path("type").asText("");
        Field f = ofType(type, node.path("name").asText(""))
                .orElseThrow(() -> new IllegalArgumentException("unknown field type \"" + type + "\""));
        f.setId(node.path("id").asText(""));
        f.system = node.path("system").asBoolean(false);
        f.hidden = node.path("hidden").asBoolean(false);
        f.presentable = node.path("presentable").asBoolean(false);
        if (node.has("help") && !node.get("help").isNull()) {
            f.help = node.get("help").asText();
        }
        f.readOptions(node);
        return f;
    }

    /** PocketBase's default field id: type + crc32(name). */
    public static String defaultId(String type, String name) {
        return type + crc32(name);
    }

    static long crc32(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    // helpers for options

    static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    static boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.asBoolean(false);
    }

    static int integer(JsonNode node, String key, int fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || !v.isNumber() ? fallback : v.asInt();
    }

    static long longValue(JsonNode node, String key, long fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || !v.isNumber() ? fallback : v.asLong();
    }

    /** A list option where PocketBase writes {@code null} for "not set". */
    static java.util.List<String> stringsOrNull(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || !v.isArray()) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    static String plainText(Object raw) {
        if (raw == null) {
            return "";
        }
        if (raw instanceof Double d) {
            return String.valueOf(io.pocketbus.tools.types.Numbers.normalise(d));
        }
        if (raw instanceof JsonNode n) {
            return n.isTextual() ? n.asText() : n.isNull() ? "" : n.toString();
        }
        return raw.toString();
    }
}
