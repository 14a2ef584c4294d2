package io.pocketbus.broker;

/**
 * An account import ({@code nats.imports[]}).
 *
 * @param subject the subject in the exporting account
 * @param account the exporting account's public key
 * @param localSubject {@code local_subject}: where it appears here; empty = same
 * @param type "stream" or "service"
 * @param token an activation token for a private export; empty when none
 * @param to the older {@code to}: for a stream a prefix, for a service the local subject; empty when none
 */
public record JwtImport(String name, String subject, String account, String localSubject, String type, String token,
        String to) {

    /** An import without the older {@code to}. */
    public JwtImport(String name, String subject, String account, String localSubject, String type, String token) {
        this(name, subject, account, localSubject, type, token, "");
    }
}
