package io.pocketbus.broker;

import io.pocketbus.broker.spi.ConnectAttempt;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Builds CONNECT attempts for authenticator tests. */
final class Attempts {

    static final String NONCE = "ZJTEsF6hBa4Ckzo";

    private Attempts() {
    }

    static ConnectAttempt none() {
        return attempt(null, null, null, null, null, null);
    }

    static ConnectAttempt token(String token) {
        return attempt(null, null, token, null, null, null);
    }

    static ConnectAttempt user(String user, String password) {
        return attempt(user, password, null, null, null, null);
    }

    static ConnectAttempt nkey(NKey key) {
        return attempt(null, null, null, key.publicKey(), sign(key, NONCE), null);
    }

    static ConnectAttempt jwt(String jwt, NKey key) {
        return attempt(null, null, null, null, sign(key, NONCE), jwt);
    }

    static ConnectAttempt bearer(String jwt) {
        return attempt(null, null, null, null, null, jwt);
    }

    static String sign(NKey key, String nonce) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(nonce.getBytes(StandardCharsets.UTF_8)));
    }

    static ConnectAttempt attempt(String user, String pass, String token, String nkey, String sig, String jwt) {
        return new ConnectAttempt(Optional.ofNullable(user), Optional.ofNullable(pass), Optional.ofNullable(token),
                Optional.ofNullable(nkey), Optional.ofNullable(sig), Optional.ofNullable(jwt), Optional.of(NONCE),
                "127.0.0.1:50000", "tcp");
    }

    static ConnectAttempt over(ConnectAttempt a, String transport, String remoteAddress) {
        return new ConnectAttempt(a.user(), a.password(), a.token(), a.nkey(), a.signature(), a.jwt(), a.nonce(),
                remoteAddress, transport);
    }
}
