package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code email} and {@code url} share: a text value with a domain that {@code exceptDomains} /
 * {@code onlyDomains} may restrict (JSON {@code null} when unset).
 */
abstract sealed class DomainField<F extends DomainField<F>> extends Field permits EmailField, UrlField {
    private List<String> exceptDomains;
    private List<String> onlyDomains;
    private boolean required;

    DomainField(String name) {
        super(name);
    }

    /** The value's domain, or empty when the value is not well formed for this type. */
    abstract Optional<String> domainOf(String value);

    abstract Optional<ValidationError> malformedError();

    abstract Optional<ValidationError> domainNotAllowedError();

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

    public F setExceptDomains(List<String> domains) {
        this.exceptDomains = domains == null ? null : List.copyOf(domains);
        return self();
    }

    public F setOnlyDomains(List<String> domains) {
        this.onlyDomains = domains == null ? null : List.copyOf(domains);
        return self();
    }

    public F setRequired(boolean required) {
        this.required = required;
        return self();
    }

    @SuppressWarnings("unchecked")
    private F self() {
        return (F) this;
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
        Optional<String> domain = domainOf(v);
        if (domain.isEmpty()) {
            return malformedError();
        }
        if (!Domains.allowed(domain.get(), exceptDomains(), onlyDomains())) {
            return domainNotAllowedError();
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
