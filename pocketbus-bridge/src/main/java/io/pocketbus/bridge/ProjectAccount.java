package io.pocketbus.bridge;

import io.pocketbus.broker.JwtAccountClaims;
import io.pocketbus.broker.JwtSigningKey;
import io.pocketbus.broker.NKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One project's broker account as kept in the data directory: the account nkey, the signing key its user
 * JWTs are issued with, and its limits. The credentials issued are kept apart, in {@link ProjectCredentials}.
 */
record ProjectAccount(String projectId, NKey account, NKey signingKey, ProjectLimits limits) {

    /** The account's claims: the project's limits, and these revocations (user key → revoked at). */
    JwtAccountClaims claims(Map<String, Instant> revocations) {
        return JwtAccountClaims.builder(account.publicKey())
                .name(projectId)
                .signingKeys(List.of(JwtSigningKey.unscoped(signingKey.publicKey())))
                .limits(limits.toJwtLimits())
                .revocations(revocations)
                .build();
    }

    ProjectAccount withLimits(ProjectLimits newLimits) {
        return new ProjectAccount(projectId, account, signingKey, newLimits);
    }

    @Override
    public String toString() {
        return "ProjectAccount[" + projectId + " " + account.publicKey() + "]";
    }
}
