package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** {@code bool}: {@code required} means the value must be true. */
public final class BoolField extends Field {
    private boolean required;

    public BoolField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "bool";
    }

    @Override
    public boolean required() {
        return required;
    }

    public BoolField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    /** Go's {@code cast.ToBool}: true, 1, t, T, TRUE, True and non-zero numbers are true. */
    @Override
    public Object prepareValue(Object raw) {
        return toBool(raw);
    }

    static boolean toBool(Object raw) {
        if (raw instanceof JsonNode n) {
            if (n.isBoolean()) {
                return n.asBoolean();
            }
            if (n.isNumber()) {
                return n.asDouble() != 0;
            }
            return n.isTextual() && toBool(n.asText());
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof Number num) {
            return num.doubleValue() != 0;
        }
        if (raw instanceof String s) {
            return switch (s.trim()) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                default -> false;
            };
        }
        return false;
    }

    @Override
    public boolean isBlank(Object value) {
        return !Boolean.TRUE.equals(value);
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        return requiredError(record.get(name()));
    }

    @Override
    public String columnDefinition() {
        return "BOOLEAN DEFAULT FALSE NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        required = bool(node, "required");
    }
}
