package io.pocketbus.core;

import java.util.Optional;

/** {@code email}: an address whose domain {@code exceptDomains} / {@code onlyDomains} may restrict. */
public final class EmailField extends DomainField<EmailField> {

    public EmailField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    Optional<String> domainOf(String value) {
        return Domains.isEmail(value) ? Optional.of(value.substring(value.lastIndexOf('@') + 1)) : Optional.empty();
    }

    @Override
    Optional<ValidationError> malformedError() {
        return error("validation_is_email", "Must be a valid email address.");
    }

    @Override
    Optional<ValidationError> domainNotAllowedError() {
        return error("validation_email_domain_not_allowed", "Email domain is not allowed.");
    }
}
