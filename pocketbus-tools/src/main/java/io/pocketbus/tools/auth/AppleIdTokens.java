package io.pocketbus.tools.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Sign in with Apple has no user info endpoint: the user is the {@code id_token} of the token response,
 * accepted only when its claims hold (issuer {@code https://appleid.apple.com}, audience = our client id,
 * {@code exp} present and not past, {@code iat} not in the future, 5 minutes' leeway as PocketBase) and its
 * RS256 signature verifies with the key of its {@code kid} from Apple's JWKS.
 */
final class AppleIdTokens implements OAuth2Provider.UserSource {
    static final String ISSUER = "https://appleid.apple.com";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration LEEWAY = Duration.ofMinutes(5);
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final String jwksURL;

    AppleIdTokens(String jwksURL) {
        this.jwksURL = jwksURL;
    }

    @Override
    public JsonNode fetch(OAuth2Provider provider, JsonNode tokenResponse, String accessToken) {
        String idToken = tokenResponse.path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new OAuth2Exception("empty id_token");
        }
        String[] parts = idToken.split("\\.", -1);
        if (parts.length != 3) {
            throw new OAuth2Exception("malformed id_token");
        }
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        checkClaims(claims, provider.clientId(), Instant.now());
        if (!"RS256".equals(header.path("alg").asText(""))) {
            throw new OAuth2Exception("id_token validation failed: unsupported alg");
        }
        PublicKey key = jwk(header.path("kid").asText(""));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(B64URL.decode(parts[2]))) {
                throw new OAuth2Exception("id_token validation failed: invalid signature");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OAuth2Exception("id_token validation failed: " + e.getMessage(), e);
        }
        return claims;
    }

    static void checkClaims(JsonNode claims, String clientId, Instant now) {
        long exp = claims.path("exp").asLong(0);
        if (!claims.path("exp").isNumber() || now.minus(LEEWAY).getEpochSecond() > exp) {
            throw new OAuth2Exception("id_token is expired or has no exp");
        }
        if (claims.path("iat").isNumber() && claims.path("iat").asLong() > now.plus(LEEWAY).getEpochSecond()) {
            throw new OAuth2Exception("id_token is used before it was issued");
        }
        if (!ISSUER.equals(claims.path("iss").asText(""))) {
            throw new OAuth2Exception("id_token has another issuer");
        }
        JsonNode aud = claims.path("aud");
        boolean audienceMatches = aud.isArray()
                ? java.util.stream.StreamSupport.stream(aud.spliterator(), false).anyMatch(a -> a.asText().equals(clientId))
                : aud.asText("").equals(clientId);
        if (clientId.isEmpty() || !audienceMatches) {
            throw new OAuth2Exception("id_token has another audience");
        }
    }

    private PublicKey jwk(String kid) {
        JsonNode keys = OAuth2Provider.call(HttpRequest.newBuilder(URI.create(jwksURL)).GET(), "jwks").path("keys");
        for (JsonNode k : keys) {
            if (k.path("kid").asText("").equals(kid) && "RSA".equals(k.path("kty").asText(""))) {
                try {
                    BigInteger n = new BigInteger(1, B64URL.decode(k.path("n").asText("")));
                    BigInteger e = new BigInteger(1, B64URL.decode(k.path("e").asText("")));
                    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                } catch (GeneralSecurityException | IllegalArgumentException ex) {
                    throw new OAuth2Exception("id_token validation failed: unusable JWK " + kid, ex);
                }
            }
        }
        throw new OAuth2Exception("id_token validation failed: no JWK with kid " + kid);
    }

    private static JsonNode json(String part) {
        try {
            JsonNode node = MAPPER.readTree(B64URL.decode(part));
            if (node == null || !node.isObject()) {
                throw new OAuth2Exception("malformed id_token");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new OAuth2Exception("malformed id_token", e);
        }
    }
}
