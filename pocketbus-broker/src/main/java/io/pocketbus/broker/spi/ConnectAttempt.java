package io.pocketbus.broker.spi;

import java.util.Optional;

/**
 * The credentials a client presented in CONNECT, with the nonce the server sent it in INFO.
 *
 * @param user {@code user} field
 * @param password {@code pass} field
 * @param token {@code auth_token} field
 * @param nkey {@code nkey} field: the client's public user nkey
 * @param signature {@code sig} field: the nonce signed with the client's nkey seed, base64url
 * @param jwt {@code jwt} field: a user JWT
 * @param nonce the nonce sent in INFO, empty when none was sent
 * @param remoteAddress the client's address, "host:port"
 * @param transport "tcp", "websocket" or "in-process"
 */
public record ConnectAttempt(
        Optional<String> user,
        Optional<String> password,
        Optional<String> token,
        Optional<String> nkey,
        Optional<String> signature,
        Optional<String> jwt,
        Optional<String> nonce,
        String remoteAddress,
        String transport) {
}
