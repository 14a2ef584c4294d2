package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.types.Numbers;
import java.util.Map;
import java.util.Optional;

/** {@code number}: optional min/max (JSON {@code null} when unset), onlyInt. Values are doubles. */
public final class NumberField extends Field {
    private Double min;
    private Double max;
    private boolean onlyInt;
    private boolean required;

    public NumberField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "number";
    }

    public Optional<Double> min() {
        return Optional.ofNullable(min);
    }

    public Optional<Double> max() {
        return Optional.ofNullable(max);
    }

    public boolean onlyInt() {
        return onlyInt;
    }

    @Override
    public boolean required() {
        return required;
    }

    public NumberField setMin(Double min) {
        this.min = min;
        return this;
    }

    public NumberField setMax(Double max) {
        this.max = max;
        return this;
    }

    public NumberField setOnlyInt(boolean onlyInt) {
        this.onlyInt = onlyInt;
        return this;
    }

    public NumberField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        if (raw instanceof JsonNode n) {
            return n.isNumber() ? n.asDouble() : Numbers.toDouble(n.isNull() ? null : n.asText());
        }
        return Numbers.toDouble(raw);
    }

    @Override
    public Object jsonValue(Object value) {
        return Numbers.normalise(((Number) value).doubleValue());
    }

    @Override
    public boolean isBlank(Object value) {
        return value == null || ((Number) value).doubleValue() == 0;
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        double v = record.getDouble(name());
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return error("validation_not_a_number", "The submitted number is not properly formatted.");
        }
        // zero is "blank": only the required check applies, not min/max
        if (v == 0) {
            return requiredError(v);
        }
        if (onlyInt && v != Math.rint(v)) {
            return error("validation_only_int_constraint", "Decimal numbers are not allowed.");
        }
        if (min != null && v < min) {
            return error("validation_min_number_constraint", "Must be greater or equal than {{min}}.",
                    Map.of("min", Numbers.normalise(min)));
        }
        if (max != null && v > max) {
            return error("validation_max_number_constraint", "Must be less or equal than {{max}}.",
                    Map.of("max", Numbers.normalise(max)));
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "NUMERIC DEFAULT 0 NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("min", min == null ? null : Numbers.normalise(min));
        out.put("max", max == null ? null : Numbers.normalise(max));
        out.put("onlyInt", onlyInt);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        min = node.hasNonNull("min") && node.get("min").isNumber() ? node.get("min").asDouble() : null;
        max = node.hasNonNull("max") && node.get("max").isNumber() ? node.get("max").asDouble() : null;
        onlyInt = bool(node, "onlyInt");
        required = bool(node, "required");
    }
}
