package io.pocketbus.broker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** nats-server's {@code MEMORY} resolver: account JWTs held in memory, preloaded from {@code resolver_preload}. */
public final class JwtMemoryResolver implements JwtAccountResolver {

    private final Map<String, String> jwts = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A resolver preloaded with account JWTs; each must verify and is keyed by its subject. */
    public static JwtMemoryResolver preloaded(List<String> accountJwts) {
        JwtMemoryResolver resolver = new JwtMemoryResolver();
        for (String jwt : accountJwts) {
            JwtAccountClaims claims = JwtAccountResolver.verifiedAccount(jwt);
            resolver.jwts.put(claims.subject(), jwt.trim());
        }
        return resolver;
    }

    @Override
    public Optional<String> fetch(String accountPublicKey) {
        return deleted.contains(accountPublicKey) ? Optional.empty() : Optional.ofNullable(jwts.get(accountPublicKey));
    }

    @Override
    public boolean isDeleted(String accountPublicKey) {
        return deleted.contains(accountPublicKey);
    }

    @Override
    public void store(String accountJwt) {
        JwtAccountClaims claims = JwtAccountResolver.verifiedAccount(accountJwt);
        String stored = jwts.compute(claims.subject(), (key, old) -> old == null
                || !JwtAccountResolver.verifiedAccount(old).issuedAt().isAfter(claims.issuedAt()) ? accountJwt.trim() : old);
        if (stored.equals(accountJwt.trim())) {
            deleted.remove(claims.subject());
            listeners.forEach(Runnable::run);
        }
    }

    @Override
    public void delete(String accountPublicKey) {
        deleted.add(accountPublicKey);
        jwts.remove(accountPublicKey);
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onUpdate(Runnable listener) {
        listeners.add(listener);
    }
}
