package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code url}: exceptDomains / onlyDomains (JSON {@code null} when unset). */
public final class UrlField extends Field {
    private List<String> exceptDomains;
    private List<String> onlyDomains;
    private boolean required;

    public UrlField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "url";
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

    public UrlField setExceptDomains(List<String> domains) {
        this.exceptDomains = domains == null ? null : List.copyOf(domains);
        return this;
    }

    public UrlField setOnlyDomains(List<String> domains) {
        this.onlyDomains = domains == null ? null : List.copyOf(domains);
        return this;
    }

    public UrlField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return plainText(raw);
    }

    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        String v = record.getString(name());
        if (v.isEmpty()) {
            return requiredError(v);
        }
        Optional<String> host = Domains.urlHost(v);
        if (host.isEmpty()) {
            return error("validation_invalid_url", "Must be a valid url.");
        }
        if (!Domains.allowed(host.get(), exceptDomains(), onlyDomains())) {
            return error("validation_url_domain_not_allowed", "Url domain is not allowed.");
        }
        return Optional.empty();
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
