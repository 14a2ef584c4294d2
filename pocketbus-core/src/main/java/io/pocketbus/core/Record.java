package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.security.Passwords;
import io.pocketbus.tools.types.DateTime;
import io.pocketbus.tools.types.Numbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One row of a collection. Values are held in their canonical form per field type (see {@link Field}):
 * String for text-like and date fields, Double for numbers, Boolean, {@code List<String>} for multiple
 * select/file/relation, a Jackson {@link JsonNode} for json, a {@code GeoPoint}, and the bcrypt hash for
 * password fields.
 */
public final class Record {
    private final Collection collection;
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> custom = new LinkedHashMap<>();
    private Map<String, Object> original;
    private boolean isNew = true;
    private Map<String, Object> expand;
    private String plainPassword;
    private boolean hiddenVisible;
    private boolean emailAlwaysVisible;
    private boolean exportCustomData;
    private final Map<String, Boolean> customVisibility = new LinkedHashMap<>();
    private final Map<String, java.util.Set<String>> uploaded = new LinkedHashMap<>();

    public Record(Collection collection) {
        this.collection = collection;
        for (Field f : collection.fields()) {
            data.put(f.name(), f.zeroValue());
        }
        original = new LinkedHashMap<>(data);
    }

    /** A stored record from its database row (column name → JDBC value). */
    static Record fromRow(Collection collection, Map<String, Object> row) {
        Record r = new Record(collection);
        for (Field f : collection.fields()) {
            if (row.containsKey(f.name())) {
                Object raw = row.get(f.name());
                if (raw instanceof String s && (f instanceof JsonField || f instanceof GeoPointField)) {
                    raw = new JsonField.RawJson(s);
                }
                r.data.put(f.name(), f.prepareValue(raw));
            }
        }
        r.isNew = false;
        r.original = new LinkedHashMap<>(r.data);
        return r;
    }

    public Collection collection() {
        return collection;
    }

    public String id() {
        return getString("id");
    }

    public void setId(String id) {
        set("id", id);
    }

    /** True until the record is first saved. */
    public boolean isNew() {
        return isNew;
    }

    void markSaved() {
        isNew = false;
        original = new LinkedHashMap<>(data);
        plainPassword = null;
        uploaded.clear();
    }

    /** Forces the new/stored state, for creating a record with a client-given id or for upserts. */
    public void markAsNew(boolean value) {
        isNew = value;
    }

    public boolean isAuth() {
        return collection.isAuth();
    }

    public boolean isSuperuser() {
        return collection.isSuperusers();
    }

    /**
     * The value of a schema field (canonical form) or of a custom key set on this record; {@code null} only
     * for an unknown key that was never set.
     */
    public Object get(String key) {
        if (data.containsKey(key)) {
            return data.get(key);
        }
        return custom.get(key);
    }

    /** Whether {@code key} is a schema field of this record. */
    public boolean hasField(String key) {
        return data.containsKey(key);
    }

    /**
     * Sets a value: schema fields are normalised to their canonical form (a password field takes the plain
     * text and stores its hash); other keys are kept as custom data.
     */
    public Record set(String key, Object value) {
        Optional<Field> field = collection.field(key);
        if (field.isEmpty()) {
            custom.put(key, value);
            return this;
        }
        if (field.get() instanceof PasswordField pf) {
            setPassword(pf, Field.plainText(value));
            return this;
        }
        data.put(key, field.get().prepareValue(value));
        return this;
    }

    private void setPassword(PasswordField pf, String plain) {
        plainPassword = plain;
        data.put(pf.name(), plain.isEmpty() ? "" : Passwords.hash(plain, pf.cost()));
    }

    /** The plain password set on this record since it was loaded, if any (for validation). */
    public Optional<String> plainPassword() {
        return Optional.ofNullable(plainPassword);
    }

    public String getString(String key) {
        Object v = get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "" : String.valueOf(l.get(l.size() - 1));
        }
        return Field.plainText(v);
    }

    public boolean getBool(String key) {
        return BoolField.toBool(get(key));
    }

    public double getDouble(String key) {
        return Numbers.toDouble(get(key));
    }

    public long getLong(String key) {
        return (long) getDouble(key);
    }

    /** The value as a list of strings (a single value becomes a one-item list, "" an empty one). */
    public List<String> getStringList(String key) {
        return MultiValues.toList(get(key));
    }

    public Optional<DateTime> getDateTime(String key) {
        return DateTime.parse(getString(key));
    }

    /** The value as JSON. */
    public JsonNode getJson(String key) {
        Object v = get(key);
        return v instanceof JsonNode n ? n : Field.MAPPER.valueToTree(v);
    }

    /** The values as they were when loaded or last saved. */
    public Object original(String key) {
        return original.get(key);
    }

    /** A copy of this record as loaded (before unsaved changes). */
    public Record originalCopy() {
        Record r = new Record(collection);
        r.data.putAll(original);
        r.original = new LinkedHashMap<>(original);
        r.isNew = isNew;
        return r;
    }

    /** A full copy (values, state, custom data; not the expand). */
    public Record copy() {
        Record r = new Record(collection);
        r.data.putAll(data);
        r.custom.putAll(custom);
        r.original = new LinkedHashMap<>(original);
        r.isNew = isNew;
        r.plainPassword = plainPassword;
        r.hiddenVisible = hiddenVisible;
        r.emailAlwaysVisible = emailAlwaysVisible;
        r.exportCustomData = exportCustomData;
        r.customVisibility.putAll(customVisibility);
        return r;
    }

    /** Field name → canonical value, in schema order. */
    public Map<String, Object> fieldValues() {
        return java.util.Collections.unmodifiableMap(data);
    }

    /**
     * Registers file names stored by an upload in this request, so the file field accepts them as new
     * values (clients cannot add arbitrary names).
     */
    public void markUploaded(String field, java.util.Collection<String> storedNames) {
        uploaded.computeIfAbsent(field, k -> new java.util.LinkedHashSet<>()).addAll(storedNames);
    }

    /** The names registered with {@link #markUploaded} for a field. */
    public java.util.Set<String> uploaded(String field) {
        return java.util.Collections.unmodifiableSet(uploaded.getOrDefault(field, java.util.Set.of()));
    }

    // auth helpers

    public String email() {
        return getString("email");
    }

    public boolean verified() {
        return getBool("verified");
    }

    public boolean emailVisibility() {
        return getBool("emailVisibility");
    }

    public String tokenKey() {
        return getString("tokenKey");
    }

    /** A fresh random tokenKey, which revokes every token issued before. */
    public void refreshTokenKey() {
        set("tokenKey", io.pocketbus.tools.security.RandomStrings.random(50,
                io.pocketbus.tools.security.RandomStrings.DEFAULT_ALPHABET + "_"));
    }

    /** True when the record is an auth record and {@code plain} matches its password hash. */
    public boolean validatePassword(String plain) {
        if (!isAuth() || plain == null) {
            return false;
        }
        return Passwords.verify(plain, getString("password"));
    }

    // body loading

    /**
     * Applies a submitted body: plain keys set values; {@code f+} / {@code +f} / {@code f-} modify numbers
     * and lists, {@code f:autogenerate} fills a text field from its pattern. Keys are applied shortest first
     * so plain values come before their modifiers. Unknown keys and autodate fields are ignored.
     */
    public Record load(Map<String, ?> body) {
        List<String> keys = new ArrayList<>(body.keySet());
        keys.sort(Comparator.comparingInt(String::length));
        for (String key : keys) {
            applyModifier(key, body.get(key));
        }
        return this;
    }

    /**
     * PocketBase's {@code ReplaceModifiers}: a copy of {@code body} where every key naming a field (plain or
     * with a modifier) is replaced by the field name holding the value it resolves to on a copy of this
     * record (e.g. {@code {"total+":4,"total-":1}} on total 0 gives {@code {"total":3}}); other keys stay.
     */
    public Map<String, Object> resolveModifiers(Map<String, ?> body) {
        Map<String, Object> out = new LinkedHashMap<>(body);
        Record scratch = copy();
        List<String> keys = new ArrayList<>(body.keySet());
        keys.sort(Comparator.comparingInt(String::length));
        for (String key : keys) {
            Optional<String> field = scratch.fieldOfKey(key);
            if (field.isPresent()) {
                scratch.applyModifier(key, body.get(key));
                out.remove(key);
                out.put(field.get(), scratch.get(field.get()));
            }
        }
        return out;
    }

    /** The field a body key addresses ({@code f}, {@code f+}, {@code +f}, {@code f-}, {@code f:autogenerate}). */
    private Optional<String> fieldOfKey(String key) {
        String name = key;
        if (key.endsWith(":autogenerate")) {
            name = key.substring(0, key.length() - ":autogenerate".length());
        } else if (key.startsWith("+")) {
            name = key.substring(1);
        } else if (key.endsWith("+") || key.endsWith("-")) {
            name = key.substring(0, key.length() - 1);
        }
        String candidate = name;
        if (collection.field(key).isPresent()) {
            return Optional.of(key);
        }
        return collection.field(candidate).map(Field::name);
    }

    private void applyModifier(String key, Object value) {
        Optional<Field> direct = collection.field(key);
        if (direct.isPresent()) {
            // autodate values are server-managed: a body cannot set them
            if (!(direct.get() instanceof AutodateField)) {
                set(key, value);
            }
            return;
        }
        if (key.endsWith(":autogenerate")) {
            String name = key.substring(0, key.length() - ":autogenerate".length());
            if (collection.field(name).orElse(null) instanceof TextField tf && !tf.autogeneratePattern().isEmpty()) {
                set(name, Field.plainText(value) + io.pocketbus.tools.security.PatternGenerator.generate(
                        tf.autogeneratePattern()));
            }
            return;
        }
        boolean prepend = key.startsWith("+");
        boolean append = key.endsWith("+");
        boolean remove = key.endsWith("-");
        String name = prepend ? key.substring(1) : (append || remove) ? key.substring(0, key.length() - 1) : key;
        Field f = collection.field(name).orElse(null);
        if (f == null || (!prepend && !append && !remove)) {
            return;
        }
        Object current = data.get(name);
        switch (f) {
            case NumberField nf when !prepend -> {
                double delta = ((Number) nf.prepareValue(value)).doubleValue();
                double base = ((Number) current).doubleValue();
                data.put(name, append ? base + delta : base - delta);
            }
            case SelectField sf -> data.put(name, sf.prepareValue(modifyList(current, value, prepend, remove)));
            case RelationField rf -> data.put(name, rf.prepareValue(modifyList(current, value, prepend, remove)));
            case FileField ff -> data.put(name, ff.prepareValue(modifyList(current, value, prepend, remove)));
            default -> {
                // other types take no modifiers
            }
        }
    }

    private static List<String> modifyList(Object current, Object value, boolean prepend, boolean remove) {
        List<String> existing = MultiValues.toList(current);
        List<String> given = MultiValues.toList(value);
        if (remove) {
            existing.removeAll(given);
            return existing;
        }
        List<String> out = new ArrayList<>();
        if (prepend) {
            out.addAll(given);
            out.addAll(existing);
        } else {
            out.addAll(existing);
            out.addAll(given);
        }
        return out;
    }

    // export

    /** The expanded relations (field name → Record or List of Records); empty when none were set. */
    public Map<String, Object> expand() {
        return expand == null ? Map.of() : java.util.Collections.unmodifiableMap(expand);
    }

    /** Marks that an expand was requested, so {@code expand} is written even when empty. */
    public void initExpand() {
        if (expand == null) {
            expand = new LinkedHashMap<>();
        }
    }

    /** Sets one expanded entry: a {@link Record} or a {@code List<Record>}. */
    public void setExpand(String key, Object value) {
        initExpand();
        expand.put(key, value);
    }

    /** Show hidden fields in the export (superusers). */
    public Record withHiddenFields(boolean visible) {
        this.hiddenVisible = visible;
        return this;
    }

    /** Show {@code email} regardless of {@code emailVisibility} (owner, superuser, manager, auth response). */
    public Record withEmailVisible(boolean visible) {
        this.emailAlwaysVisible = visible;
        return this;
    }

    /** Hides fields (or collectionId/collectionName/expand/custom keys) from the export. */
    public Record hide(String... names) {
        for (String n : names) {
            customVisibility.put(n, false);
        }
        return this;
    }

    /** Shows fields in the export even when the schema marks them hidden. */
    public Record unhide(String... names) {
        for (String n : names) {
            customVisibility.put(n, true);
        }
        return this;
    }

    /** Whether custom (non-schema) keys set on the record are exported. */
    public Record withCustomData(boolean export) {
        this.exportCustomData = export;
        return this;
    }

    private boolean visible(String key, boolean byDefault) {
        Boolean custom = customVisibility.get(key);
        return custom != null ? custom : byDefault;
    }

    public boolean hiddenFieldsVisible() {
        return hiddenVisible;
    }

    public boolean emailAlwaysVisible() {
        return emailAlwaysVisible;
    }

    /**
     * The record JSON (PocketBase's {@code PublicExport}): alphabetical keys, every visible field plus
     * {@code collectionId}, {@code collectionName} and {@code expand} when one was requested. An auth
     * record's password and tokenKey are never written, its email only when {@code emailVisibility} is on or
     * {@link #withEmailVisible} was set; hidden fields only with {@link #withHiddenFields} or
     * {@link #unhide}; custom keys only with {@link #withCustomData}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new TreeMap<>();
        for (Field f : collection.fields()) {
            if (visible(f.name(), !f.hidden() || hiddenVisible)) {
                out.put(f.name(), f.jsonValue(data.get(f.name())));
            }
        }
        if (exportCustomData) {
            custom.forEach((k, v) -> {
                if (visible(k, true)) {
                    out.put(k, v);
                }
            });
        }
        if (isAuth()) {
            out.remove("password");
            out.remove("tokenKey");
            if (!emailAlwaysVisible && !emailVisibility()) {
                out.remove("email");
            }
        }
        if (visible("collectionId", true)) {
            out.put("collectionId", collection.id());
        }
        if (visible("collectionName", true)) {
            out.put("collectionName", collection.name());
        }
        if (expand != null && visible("expand", true)) {
            Map<String, Object> ex = new TreeMap<>();
            expand.forEach((k, v) -> ex.put(k, exportExpanded(v)));
            out.put("expand", ex);
        }
        return out;
    }

    private static Object exportExpanded(Object v) {
        if (v instanceof Record r) {
            return r.toJson();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(Record::exportExpanded).toList();
        }
        return v;
    }

    @Override
    public String toString() {
        return "Record[" + collection.name() + "/" + id() + "]";
    }
}
