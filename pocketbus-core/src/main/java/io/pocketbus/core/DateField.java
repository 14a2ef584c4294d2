package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.types.DateTime;
import java.util.Map;
import java.util.Optional;

/** {@code date}: a UTC datetime string {@code YYYY-MM-DD HH:MM:SS.mmmZ} or {@code ""}; optional min/max. */
public final class DateField extends Field {
    private String min = "";
    private String max = "";
    private boolean required;

    public DateField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "date";
    }

    public Optional<DateTime> min() {
        return DateTime.parse(min);
    }

    public Optional<DateTime> max() {
        return DateTime.parse(max);
    }

    @Override
    public boolean required() {
        return required;
    }

    public DateField setMin(String min) {
        this.min = normalise(min);
        return this;
    }

    public DateField setMax(String max) {
        this.max = normalise(max);
        return this;
    }

    public DateField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return normalise(raw);
    }

    static String normalise(Object raw) {
        if (raw instanceof DateTime dt) {
            return dt.toString();
        }
        if (raw instanceof java.time.Instant i) {
            return new DateTime(i).toString();
        }
        return DateTime.parse(plainText(raw)).map(DateTime::toString).orElse("");
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        String v = record.getString(name());
        if (v.isEmpty()) {
            return requiredError(v);
        }
        DateTime dt = DateTime.parse(v).orElseThrow();
        if (min().isPresent() && dt.isBefore(min().get())) {
            return error("validation_min_greater_equal_than_required", "Must be no less than {{threshold}}.",
                    Map.of("threshold", min));
        }
        if (max().isPresent() && dt.isAfter(max().get())) {
            return error("validation_max_less_equal_than_required", "Must be no greater than {{threshold}}.",
                    Map.of("threshold", max));
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("min", min);
        out.put("max", max);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        min = normalise(text(node, "min", ""));
        max = normalise(text(node, "max", ""));
        required = bool(node, "required");
    }
}
