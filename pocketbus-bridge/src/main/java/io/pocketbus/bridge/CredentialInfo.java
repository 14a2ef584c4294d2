package io.pocketbus.bridge;

import java.time.Instant;
import java.util.Optional;

/**
 * A credential issued for a project, as listed: never its seed, which is shown once at creation.
 *
 * @param id the user public key ({@code U…}) of the credential; what {@code revoke} takes
 * @param kind a member's browser credential or a named service credential
 * @param name the service name, or the member's user id
 * @param userId the member's user id (member credentials)
 * @param role the member's role (member credentials)
 * @param scope what a service credential may do (service credentials)
 * @param issuedAt when the user JWT was issued (whole seconds, as in the JWT)
 * @param expires when the user JWT expires; empty for a service credential without expiry
 * @param revokedAt when it was revoked, if it was
 */
public record CredentialInfo(
        String id,
        Kind kind,
        String name,
        Optional<String> userId,
        Optional<ProjectRole> role,
        Optional<CredentialScope> scope,
        Instant issuedAt,
        Optional<Instant> expires,
        Optional<Instant> revokedAt) {

    public enum Kind { MEMBER, SERVICE }

    /** Whether it still authenticates: neither revoked nor expired. */
    public boolean isActive(Instant now) {
        return revokedAt.isEmpty() && expires.map(now::isBefore).orElse(true);
    }

    CredentialInfo revoked(Instant at) {
        return new CredentialInfo(id, kind, name, userId, role, scope, issuedAt, expires, Optional.of(at));
    }
}
