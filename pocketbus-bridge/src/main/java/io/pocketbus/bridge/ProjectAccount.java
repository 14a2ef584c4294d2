package io.pocketbus.bridge;

import io.pocketbus.broker.JwtAccountClaims;
import io.pocketbus.broker.JwtSigningKey;
import io.pocketbus.broker.NKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One project's broker account as kept in the data directory: the account nkey, the signing key its user
 * JWTs are issued with, its limits, and the credentials issued (without their seeds).
 */
record ProjectAccount(String projectId, NKey account, NKey signingKey, ProjectLimits limits,
        List<CredentialInfo> credentials) {

    ProjectAccount {
        credentials = List.copyOf(credentials);
    }

    /** The account's claims: the project's limits, and revocations for revoked credentials not yet expired. */
    JwtAccountClaims claims() {
        Map<String, Instant> revocations = new HashMap<>();
        for (CredentialInfo c : credentials) {
            c.revokedAt().ifPresent(at -> revocations.put(c.id(), at));
        }
        return JwtAccountClaims.builder(account.publicKey())
                .name(projectId)
                .signingKeys(List.of(JwtSigningKey.unscoped(signingKey.publicKey())))
                .limits(limits.toJwtLimits())
                .revocations(revocations)
                .build();
    }

    ProjectAccount withLimits(ProjectLimits newLimits) {
        return new ProjectAccount(projectId, account, signingKey, newLimits, credentials);
    }

    /**
     * With the credential added, and the credentials that have expired dropped: an expired user JWT is
     * refused anyway, so neither its listing nor its revocation needs to be kept.
     */
    ProjectAccount withCredential(CredentialInfo credential, Instant now) {
        List<CredentialInfo> kept = new ArrayList<>(live(now));
        kept.add(credential);
        return new ProjectAccount(projectId, account, signingKey, limits, kept);
    }

    ProjectAccount withCredentials(List<CredentialInfo> replaced) {
        return new ProjectAccount(projectId, account, signingKey, limits, replaced);
    }

    /** The credentials not expired at {@code now}, revoked ones included. */
    List<CredentialInfo> live(Instant now) {
        return credentials.stream().filter(c -> c.expires().map(now::isBefore).orElse(true)).toList();
    }

    @Override
    public String toString() {
        return "ProjectAccount[" + projectId + " " + account.publicKey() + "]";
    }
}
