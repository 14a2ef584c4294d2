package io.pocketbus.core;

import java.util.Optional;

/** {@code url}: a URL whose host {@code exceptDomains} / {@code onlyDomains} may restrict. */
public final class UrlField extends DomainField<UrlField> {

    public UrlField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "url";
    }

    @Override
    Optional<String> domainOf(String value) {
        return Domains.urlHost(value);
    }

    @Override
    Optional<ValidationError> malformedError() {
        return error("validation_invalid_url", "Must be a valid url.");
    }

    @Override
    Optional<ValidationError> domainNotAllowedError() {
        return error("validation_url_domain_not_allowed", "Url domain is not allowed.");
    }
}
