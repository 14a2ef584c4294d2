package io.pocketbus.bridge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The credentials issued for one project that have not expired, revoked ones included (a revocation must stay
 * in the account JWT until the JWT it revokes expires). Not thread-safe: {@link ProjectAccounts} holds its lock.
 *
 * <p>Member credentials all live the same time, so in issuance order they also expire in order: dropping the
 * expired ones from the head keeps each issuance's cost constant however many were issued.
 */
final class ProjectCredentials {

    private final Map<String, CredentialInfo> members = new LinkedHashMap<>();
    private final Map<String, CredentialInfo> services = new LinkedHashMap<>();
    private final Map<String, Instant> revocations = new HashMap<>();

    /** Adds or replaces a credential (replaying a journal over a snapshot that already holds it is harmless). */
    void put(CredentialInfo c) {
        (c.kind() == CredentialInfo.Kind.MEMBER ? members : services).put(c.id(), c);
        c.revokedAt().ifPresentOrElse(at -> revocations.put(c.id(), at), () -> revocations.remove(c.id()));
    }

    Optional<CredentialInfo> get(String id) {
        return Optional.ofNullable(members.get(id)).or(() -> Optional.ofNullable(services.get(id)));
    }

    /**
     * Drops the member credentials expired at {@code now}; service credentials, being few, are dropped when listed.
     *
     * @return whether a revocation went with them (the account JWT then changes)
     */
    boolean dropExpiredMembers(Instant now) {
        return drop(members, now, true);
    }

    /** Drops every expired credential; returns whether a revocation went with them. */
    boolean dropExpired(Instant now) {
        // a member credential issued with a longer lifetime (an earlier configuration) may sit behind the head
        return drop(members, now, false) | drop(services, now, false);
    }

    private boolean drop(Map<String, CredentialInfo> credentials, Instant now, boolean untilFirstLive) {
        boolean revocationDropped = false;
        for (Iterator<CredentialInfo> it = credentials.values().iterator(); it.hasNext(); ) {
            CredentialInfo c = it.next();
            if (!expired(c, now)) {
                if (untilFirstLive) {
                    break;
                }
                continue;
            }
            it.remove();
            revocationDropped |= revocations.remove(c.id()) != null;
        }
        return revocationDropped;
    }

    /** Marks the active credentials that match as revoked at {@code now} and returns them (as revoked). */
    List<CredentialInfo> revoke(Predicate<CredentialInfo> which, Instant now) {
        List<CredentialInfo> revoked = new ArrayList<>();
        for (CredentialInfo c : all()) {
            if (c.isActive(now) && which.test(c)) {
                revoked.add(c.revoked(now));
            }
        }
        revoked.forEach(this::put);
        return revoked;
    }

    /** Every credential held, members first, each in issuance order. */
    List<CredentialInfo> all() {
        List<CredentialInfo> out = new ArrayList<>(members.size() + services.size());
        out.addAll(members.values());
        out.addAll(services.values());
        return out;
    }

    /** The credentials not expired at {@code now}, revoked ones included. */
    List<CredentialInfo> live(Instant now) {
        return all().stream().filter(c -> !expired(c, now)).toList();
    }

    int size() {
        return members.size() + services.size();
    }

    /** The revocations for the account JWT: the revoked credentials held. */
    Map<String, Instant> revocations() {
        return Map.copyOf(revocations);
    }

    static ProjectCredentials of(Collection<CredentialInfo> credentials) {
        ProjectCredentials out = new ProjectCredentials();
        credentials.forEach(out::put);
        return out;
    }

    private static boolean expired(CredentialInfo c, Instant now) {
        return c.expires().filter(e -> !now.isBefore(e)).isPresent();
    }
}
