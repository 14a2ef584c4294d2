package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** {@code autodate}: set by the server on create and/or update, never through the API. */
public final class AutodateField extends Field {
    private boolean onCreate;
    private boolean onUpdate;

    public AutodateField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "autodate";
    }

    public boolean onCreate() {
        return onCreate;
    }

    public boolean onUpdate() {
        return onUpdate;
    }

    @Override
    public boolean required() {
        return false;
    }

    public AutodateField setOnCreate(boolean onCreate) {
        this.onCreate = onCreate;
        return this;
    }

    public AutodateField setOnUpdate(boolean onUpdate) {
        this.onUpdate = onUpdate;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return DateField.normalise(raw);
    }

    /** Set by the server only: nothing to validate. */
    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("onCreate", onCreate);
        out.put("onUpdate", onUpdate);
    }

    @Override
    protected void readOptions(JsonNode node) {
        onCreate = bool(node, "onCreate");
        onUpdate = bool(node, "onUpdate");
    }
}
