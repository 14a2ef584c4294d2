package io.pocketbus.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A decoded and signature-checked NATS JWT: {@code base64url(header).base64url(claims).base64url(sig)} where
 * the header is {@code {"typ":"JWT","alg":"ed25519-nkey"}} and {@code sig} is the Ed25519 signature of the
 * first two parts by the nkey named in {@code iss}. Decoding checks the signature and that the issuer's role
 * fits the claims (operators and accounts are issued by operator keys, users by account keys); whether the
 * issuer is trusted, and expiry, are for the caller to judge.
 */
public record NatsJwt(String token, JwtClaims claims) {

    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** Decodes a JWT and checks its signature. */
    public static NatsJwt decode(String token) {
        String trimmed = token.trim();
        String[] parts = trimmed.split("\\.", -1);
        if (parts.length != 3) {
            throw new JwtException("a JWT has three parts");
        }
        JsonNode header = json(parts[0], "header");
        if (!"JWT".equalsIgnoreCase(header.path("typ").asText()) || !"ed25519-nkey".equals(header.path("alg").asText())) {
            throw new JwtException("unsupported JWT header " + header);
        }
        JwtClaims claims = JwtJson.read(json(parts[1], "claims"));
        NKey issuer;
        try {
            issuer = NKey.fromPublicKey(claims.issuer());
        } catch (IllegalArgumentException e) {
            throw new JwtException("JWT issuer is not an nkey", e);
        }
        NKey.Type expected = claims instanceof JwtUserClaims || claims instanceof JwtActivationClaims
                ? NKey.Type.ACCOUNT : NKey.Type.OPERATOR;
        if (issuer.type() != expected) {
            throw new JwtException("a " + claims.type() + " JWT cannot be issued by a " + issuer.type() + " key");
        }
        Optional<byte[]> signature = NKey.decodeSignature(parts[2]);
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (signature.isEmpty() || !issuer.verify(signed, signature.get())) {
            throw new JwtException("JWT signature does not verify");
        }
        return new NatsJwt(trimmed, claims);
    }

    /** The claims as the expected type. */
    public <T extends JwtClaims> T claims(Class<T> type) {
        if (!type.isInstance(claims)) {
            throw new JwtException("expected " + type.getSimpleName() + " but the JWT holds " + claims.type() + " claims");
        }
        return type.cast(claims);
    }

    /** Issues the claims now, signed by {@code signer}. */
    public static String issue(JwtClaims claims, NKey signer) {
        return issue(claims, signer, Clock.systemUTC());
    }

    /**
     * Issues the claims signed by {@code signer}, which becomes {@code iss}; {@code iat} is the clock's now and
     * {@code jti} the base32 SHA-512/256 of the claims, as nats.jwt computes it.
     */
    public static String issue(JwtClaims claims, NKey signer, Clock clock) {
        if (!signer.canSign()) {
            throw new IllegalArgumentException("issuing a JWT needs the signer's seed");
        }
        JwtClaims stamped = stamp(claims, signer.publicKey(), Instant.ofEpochSecond(clock.instant().getEpochSecond()));
        ObjectNode body = JwtJson.write(stamped);
        ObjectNode withId = JwtJson.MAPPER.createObjectNode().put("jti", hash(body));
        withId.setAll(body);
        String signingInput = B64.encodeToString(HEADER.getBytes(StandardCharsets.US_ASCII)) + "."
                + B64.encodeToString(toJson(withId).getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static JwtClaims stamp(JwtClaims c, String issuer, Instant now) {
        return switch (c) {
            case JwtUserClaims u -> new JwtUserClaims("", now, issuer, u.subject(), u.name(), u.expires(), u.notBefore(),
                    u.issuerAccount(), u.permissions(), u.limits(), u.bearerToken(), u.allowedConnectionTypes(),
                    u.sourceNetworks(), u.times(), u.timesLocation(), u.tags());
            case JwtAccountClaims a -> new JwtAccountClaims("", now, issuer, a.subject(), a.name(), a.expires(),
                    a.notBefore(), a.signingKeys(), a.revocations(), a.limits(), a.imports(), a.exports(),
                    a.defaultPermissions(), a.tags());
            case JwtOperatorClaims o -> new JwtOperatorClaims("", now, issuer, o.subject(), o.name(), o.expires(),
                    o.notBefore(), o.signingKeys(), o.systemAccount(), o.accountServerUrl(), o.strictSigningKeyUsage());
            case JwtActivationClaims act -> new JwtActivationClaims("", now, issuer, act.subject(), act.name(),
                    act.expires(), act.notBefore(), act.importSubject(), act.importType(), act.issuerAccount());
        };
    }

    private static String hash(ObjectNode body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512/256").digest(toJson(body).getBytes(StandardCharsets.UTF_8));
            return NKeyCodec.base32(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512/256 is not available in this JDK", e);
        }
    }

    private static String toJson(JsonNode node) {
        try {
            return JwtJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String part, String what) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(part.endsWith("=") ? part.replaceAll("=+$", "") : part);
            JsonNode node = JwtJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new JwtException("JWT " + what + " is not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new JwtException("JWT " + what + " cannot be decoded", e);
        }
    }

    @Override
    public String toString() {
        return "NatsJwt[" + claims.type() + " " + claims.subject() + " issued by " + claims.issuer() + "]";
    }
}
