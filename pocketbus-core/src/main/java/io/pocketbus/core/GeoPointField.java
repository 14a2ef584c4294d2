package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.types.GeoPoint;
import io.pocketbus.tools.types.Numbers;
import java.util.Map;
import java.util.Optional;

/** {@code geoPoint}: {@code {"lon":n,"lat":n}}; (0,0) counts as empty. */
public final class GeoPointField extends Field {
    private boolean required;

    public GeoPointField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "geoPoint";
    }

    @Override
    public boolean required() {
        return required;
    }

    public GeoPointField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        if (raw instanceof GeoPoint p) {
            return p;
        }
        JsonNode node;
        if (raw instanceof JsonNode n) {
            node = n;
        } else if (raw instanceof String || raw instanceof JsonField.RawJson) {
            String text = raw instanceof JsonField.RawJson(String t) ? t : (String) raw;
            node = JsonField.parseOrText(text);
        } else if (raw instanceof Map<?, ?>) {
            node = MAPPER.valueToTree(raw);
        } else {
            return GeoPoint.ZERO;
        }
        if (!node.isObject()) {
            return GeoPoint.ZERO;
        }
        return new GeoPoint(Numbers.toDouble(scalar(node.get("lon"))), Numbers.toDouble(scalar(node.get("lat"))));
    }

    private static Object scalar(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isNumber() ? (Object) n.asDouble() : n.asText();
    }

    @Override
    public Object dbValue(Object value) {
        try {
            return MAPPER.writeValueAsString(((GeoPoint) value).toMap());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Object jsonValue(Object value) {
        return ((GeoPoint) value).toMap();
    }

    @Override
    public boolean isBlank(Object value) {
        return !(value instanceof GeoPoint p) || p.isZero();
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        Object v = record.get(name());
        if (isBlank(v)) {
            return requiredError(v);
        }
        GeoPoint p = (GeoPoint) v;
        if (p.lat() < -90 || p.lat() > 90) {
            return error("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.");
        }
        if (p.lon() < -180 || p.lon() > 180) {
            return error("validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.");
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL";
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
