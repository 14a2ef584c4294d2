package io.pocketbus.tools.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Sign in with Apple's client secret: an ES256 JWT signed with the developer's "Sign in with Apple" key
 * (PKCS#8 PEM), {@code kid} = key id, {@code iss} = team id, {@code sub} = client (Services) id,
 * {@code aud} = Apple, valid for the given duration — what PocketBase's settings API generates for the
 * dashboard.
 */
public final class AppleClientSecrets {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private AppleClientSecrets() {
    }

    /** The signed secret; {@link OAuth2Exception} when the key cannot be read or used. */
    public static String generate(String clientId, String teamId, String keyId, String privateKeyPem,
                                  Duration validity, Instant now) {
        PrivateKey key = privateKey(privateKeyPem);
        ObjectNode header = MAPPER.createObjectNode().put("alg", "ES256").put("kid", keyId).put("typ", "JWT");
        ObjectNode claims = MAPPER.createObjectNode().put("iss", teamId).put("sub", clientId);
        claims.putArray("aud").add(AppleIdTokens.ISSUER);
        claims.put("exp", now.plus(validity).getEpochSecond()).put("iat", now.getEpochSecond());
        String input = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            // JWS wants the raw r||s pair, not DER
            Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
            ecdsa.initSign(key);
            ecdsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new OAuth2Exception(e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) {
        String body = pem.strip().replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        try {
            byte[] der = Base64.getMimeDecoder().decode(body);
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OAuth2Exception("invalid key: " + e.getMessage(), e);
        }
    }
}
