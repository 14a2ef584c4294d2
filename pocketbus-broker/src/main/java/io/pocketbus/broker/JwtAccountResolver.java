package io.pocketbus.broker;

import java.util.Optional;

/**
 * Where operator mode finds account JWTs by account public key, as nats-server's {@code resolver}: a memory
 * map preloaded from the configuration ({@link JwtMemoryResolver}) or a directory of {@code <key>.jwt} files
 * ({@link JwtDirectoryResolver}). The JWTs are returned as stored; the authenticator verifies them.
 */
public interface JwtAccountResolver {

    /** The account's JWT, empty when the resolver has none. */
    Optional<String> fetch(String accountPublicKey);

    /** Whether the account was deleted: its users are refused as revoked. */
    boolean isDeleted(String accountPublicKey);

    /**
     * Stores a newer account JWT (verified, keyed by its subject) and tells the listeners, so that live
     * connections are re-checked against new revocations. An older JWT than the stored one is ignored.
     *
     * @throws JwtException when it is not a valid account JWT
     */
    void store(String accountJwt);

    /** Deletes an account; its users are refused from now on and the listeners are told. */
    void delete(String accountPublicKey);

    /** Registers a callback run after every {@link #store} or {@link #delete}. */
    void onUpdate(Runnable listener);

    /** Decodes and verifies a JWT as account claims; shared by the implementations. */
    static JwtAccountClaims verifiedAccount(String accountJwt) {
        return NatsJwt.decode(accountJwt).claims(JwtAccountClaims.class);
    }
}
