package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** {@code relation}: ids of records in {@code collectionId}; cascadeDelete, minSelect, maxSelect. */
public final class RelationField extends Field {
    private String collectionId = "";
    private boolean cascadeDelete;
    private int minSelect;
    private int maxSelect;
    private boolean required;

    public RelationField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "relation";
    }

    public String collectionId() {
        return collectionId;
    }

    public boolean cascadeDelete() {
        return cascadeDelete;
    }

    public int minSelect() {
        return minSelect;
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

    public RelationField setCollectionId(String collectionId) {
        this.collectionId = collectionId == null ? "" : collectionId;
        return this;
    }

    public RelationField setCascadeDelete(boolean cascadeDelete) {
        this.cascadeDelete = cascadeDelete;
        return this;
    }

    public RelationField setMinSelect(int minSelect) {
        this.minSelect = minSelect;
        return this;
    }

    public RelationField setMaxSelect(int maxSelect) {
        this.maxSelect = maxSelect;
        return this;
    }

    public RelationField setRequired(boolean required) {
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
        java.util.List<String> ids = record.getStringList(name());
        if (ids.isEmpty()) {
            return requiredError(ids);
        }
        if (minSelect > 0 && ids.size() < minSelect) {
            return error("validation_not_enough_values", "Select at least {{minSelect}}.",
                    Map.of("minSelect", minSelect));
        }
        int limit = Math.max(maxSelect, 1);
        if (ids.size() > limit) {
            return error("validation_too_many_values", "Select no more than {{maxSelect}}.",
                    Map.of("maxSelect", limit));
        }
        Optional<Collection> target = app.findCollectionByNameOrId(collectionId);
        if (target.isEmpty()) {
            return error("validation_missing_rel_collection", "Relation connection is missing or cannot be accessed.");
        }
        String placeholders = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        long found = app.db().queryOne("SELECT COUNT(*) FROM " + SchemaSql.quote(target.get().tableName())
                + " WHERE id IN (" + placeholders + ")", ids, rs -> rs.getLong(1)).orElse(0L);
        if (found != ids.size()) {
            return error("validation_missing_rel_records", "Failed to find all relation records with the provided ids.");
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return isMultiple() ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("collectionId", collectionId);
        out.put("cascadeDelete", cascadeDelete);
        out.put("minSelect", minSelect);
        out.put("maxSelect", maxSelect);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        collectionId = text(node, "collectionId", "");
        cascadeDelete = bool(node, "cascadeDelete");
        minSelect = integer(node, "minSelect", 0);
        maxSelect = integer(node, "maxSelect", 0);
        required = bool(node, "required");
    }
}
