package io.pocketbus.broker;

import java.util.Optional;

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

    /**
     * The activation token's claims, its signature checked; empty when the import has none. Expiry is left to
     * the caller, as nats-server leaves it to the moment the import is wired.
     *
     * @param importingAccount the account whose JWT holds this import
     * @throws JwtException when the token cannot be decoded or does not fit this import — nats-server then
     *     refuses the whole account JWT
     */
    public Optional<JwtActivationClaims> activation(String importingAccount) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        JwtActivationClaims act;
        try {
            act = NatsJwt.decode(token).claims(JwtActivationClaims.class);
        } catch (JwtException e) {
            throw new JwtException("import \"" + subject + "\" contains an invalid activation token", e);
        }
        if (!act.issuer().equals(account) && !act.issuerAccount().filter(account::equals).isPresent()) {
            throw new JwtException("activation token doesn't match account for import \"" + subject + "\"");
        }
        if (!act.subject().equals(importingAccount)) {
            throw new JwtException("activation token doesn't match account it is being included in, \"" + subject
                    + "\"");
        }
        if (!act.importType().equalsIgnoreCase(type)) {
            throw new JwtException("mismatch between token import type " + act.importType() + " and type of import "
                    + type);
        }
        String imported = type.equalsIgnoreCase("service") && !to.isEmpty() ? to : subject;
        if (!Subjects.isSubset(Subjects.tokens(imported), Subjects.tokens(act.importSubject()))) {
            throw new JwtException("activation token import subject \"" + act.importSubject()
                    + "\" doesn't match import \"" + subject + "\"");
        }
        return Optional.of(act);
    }
}
