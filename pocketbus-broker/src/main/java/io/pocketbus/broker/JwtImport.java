package io.pocketbus.broker;

/**
 * An account import ({@code nats.imports[]}).
 *
 * @param subject the subject in the exporting account
 * @param account the exporting account's public key
 * @param localSubject {@code local_subject} (or the older {@code to}): where it appears here; empty = same
 * @param type "stream" or "service"
 * @param token an activation token for a private export; empty when none
 */
public record JwtImport(String name, String subject, String account, String localSubject, String type, String token) {
}
