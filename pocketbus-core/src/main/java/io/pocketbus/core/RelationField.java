package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

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
