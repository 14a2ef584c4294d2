package io.pocketbus.tools.search;

/** How {@code =} and {@code !=} treat NULL against the empty string for an operand. */
public enum NullFallback {
    /** NULL and {@code ''} compare equal, with the cheapest SQL that says so. */
    AUTO,
    /** Compare as is with {@code IS} / {@code IS NOT} (JSON values, function results). */
    DISABLED,
    /** Never treat the operand as known non-empty; use the COALESCE fallback when needed. */
    ENFORCED
}
