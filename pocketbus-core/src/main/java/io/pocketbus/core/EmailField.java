package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code email}: exceptDomains / onlyDomains (JSON {@code null} when unset). */
public final class EmailField extends Field {
    private List<String> exceptDomains;
    private List<String> onlyDomains;
    private boolean required;

    public EmailField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "email";
    }

    public List<String> exceptDomains() {
        return exceptDomains == null ? List.of() : exceptDomains;
    }

    public List<String> onlyDomains() {
        return onlyDomains == null ? List.of() : onlyDomains;
    }

    @Override
    public boolean required() {
        return required;
    }

    public EmailField setExceptDomains(List<String> domains) {
        this.exceptDomains = domains == null ? null : List.copyOf(domains);
        return this;
    }

    public EmailField setOnlyDomains(List<String> domains) {
        this.onlyDomains = domains == null ? null : List.copyOf(domains);
        return this;
    }

    public EmailField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return plainText(raw);
    }

    @Override
    public String columnDefinition() {
        return "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("exceptDomains", exceptDomains);
        out.put("onlyDomains", onlyDomains);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        exceptDomains = stringsOrNull(node, "exceptDomains");
        onlyDomains = stringsOrNull(node, "onlyDomains");
        required = bool(node, "required");
    }
}
