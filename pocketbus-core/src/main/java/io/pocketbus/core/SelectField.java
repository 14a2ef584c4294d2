package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code select}: one ({@code maxSelect <= 1}) or several of {@code values}. */
public final class SelectField extends Field {
    private List<String> values = List.of();
    private int maxSelect;
    private boolean required;

    public SelectField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "select";
    }

    public List<String> values() {
        return values;
    }

    public int maxSelect() {
        return maxSelect;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public boolean isMultiple() {
        return maxSelect > 1;
    }

    public SelectField setValues(List<String> values) {
        this.values = values == null ? List.of() : List.copyOf(values);
        return this;
    }

    public SelectField setMaxSelect(int maxSelect) {
        this.maxSelect = maxSelect;
        return this;
    }

    public SelectField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return MultiValues.canonical(raw, isMultiple());
    }

    @Override
    public Object dbValue(Object value) {
        return MultiValues.dbValue(value);
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        java.util.List<String> picked = record.getStringList(name());
        if (picked.isEmpty()) {
            return requiredError(picked);
        }
        int limit = Math.max(maxSelect, 1);
        if (picked.size() > limit) {
            return error("validation_too_many_values", "Select no more than {{maxSelect}}.",
                    Map.of("maxSelect", limit));
        }
        for (String v : picked) {
            if (!values.contains(v)) {
                return error("validation_invalid_value", "Invalid value {{value}}.", Map.of("value", v));
            }
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return isMultiple() ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("values", values);
        out.put("maxSelect", maxSelect);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        List<String> v = stringsOrNull(node, "values");
        values = v == null ? List.of() : List.copyOf(v);
        maxSelect = integer(node, "maxSelect", 0);
        required = bool(node, "required");
    }
}
