package io.pocketbus.tools.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 JSON Web Tokens, the way PocketBase signs and checks its record tokens. */
public final class Jwt {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String HEADER = ENCODER.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private Jwt() {
    }

    /** Signs the claims (in their map order) with {@code key}. */
    public static String sign(Map<String, ?> claims, String key) {
        try {
            String payload = ENCODER.encodeToString(MAPPER.writeValueAsBytes(claims));
            String signingInput = HEADER + "." + payload;
            return signingInput + "." + ENCODER.encodeToString(hmac(signingInput, key));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims are not serialisable", e);
        }
    }

    /** The claims without checking the signature or expiry; empty when the token is malformed. */
    public static Optional<ObjectNode> parseUnverified(String token) {
        String[] parts = split(token);
        if (parts == null) {
            return Optional.empty();
        }
        try {
            ObjectNode header = (ObjectNode) MAPPER.readTree(DECODER.decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            if (!(MAPPER.readTree(DECODER.decode(parts[1])) instanceof ObjectNode claims)) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (java.io.IOException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** The claims when the signature matches {@code key} and {@code exp} (if set) is in the future. */
    public static Optional<ObjectNode> parseVerified(String token, String key) {
        Optional<ObjectNode> claims = parseUnverified(token);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = split(token);
        byte[] expected = hmac(parts[0] + "." + parts[1], key);
        byte[] actual;
        try {
            actual = DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        ObjectNode c = claims.get();
        if (c.has("exp") && (!c.get("exp").isNumber() || c.get("exp").asLong() <= Instant.now().getEpochSecond())) {
            return Optional.empty();
        }
        return claims;
    }

    private static String[] split(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        return parts.length == 3 ? parts : null;
    }

    private static byte[] hmac(String input, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.isEmpty() ? new byte[1] : key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
