package io.pocketbus.core;

import java.util.Optional;

/**
 * Checks that an API rule compiles for a collection (the filter language lives outside this class). Returns
 * an error message for an invalid rule. Registered with {@link App#setRuleValidator}; until one is
 * registered, rules are stored without a syntax check.
 */
@FunctionalInterface
public interface RuleValidator {
    Optional<String> check(App app, Collection collection, String rule);
}
