package io.pocketbus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.core.AuthOptions.TokenType;
import io.pocketbus.tools.security.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * PocketBase's record tokens: HS256 JWTs whose key is the record's {@code tokenKey} followed by the
 * collection's per-type secret, so a new tokenKey (password/email change) or a new secret revokes them.
 */
final class Tokens {
    private final App app;

    Tokens(App app) {
        this.app = app;
    }

    String newAuthToken(Record record) {
        return sign(record, TokenType.AUTH, Map.of("refreshable", true), 0);
    }

    /** A non-refreshable auth token; a zero or negative duration means the collection default. */
    String newStaticAuthToken(Record record, Duration duration) {
        return sign(record, TokenType.AUTH, Map.of("refreshable", false), duration.toSeconds());
    }

    String newFileToken(Record record) {
        return sign(record, TokenType.FILE, Map.of(), 0);
    }

    String newVerificationToken(Record record) {
        return sign(record, TokenType.VERIFICATION, Map.of("email", record.email()), 0);
    }

    String newPasswordResetToken(Record record) {
        return sign(record, TokenType.PASSWORD_RESET, Map.of("email", record.email()), 0);
    }

    String newEmailChangeToken(Record record, String newEmail) {
        return sign(record, TokenType.EMAIL_CHANGE, Map.of("email", record.email(), "newEmail", newEmail), 0);
    }

    private String sign(Record record, TokenType type, Map<String, Object> extra, long seconds) {
        if (!record.isAuth()) {
            throw ApiError.badRequest("The record is not an auth record.");
        }
        AuthOptions options = record.collection().auth();
        long duration = seconds > 0 ? seconds : options.tokenDuration(type);
        // Go serialises the claims map with sorted keys
        Map<String, Object> claims = new TreeMap<>(extra);
        claims.put("id", record.id());
        claims.put("type", type.claim());
        claims.put("collectionId", record.collection().id());
        claims.put("exp", Instant.now().getEpochSecond() + duration);
        return Jwt.sign(claims, record.tokenKey() + options.tokenSecret(type));
    }

    /** The claims of a valid token of one of the given types (signature and expiry checked) with its record. */
    Optional<Verified> verify(String token, TokenType... types) {
        Optional<ObjectNode> unverified = Jwt.parseUnverified(token);
        if (unverified.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode claims = unverified.get();
        String id = claims.path("id").asText("");
        String collectionId = claims.path("collectionId").asText("");
        Optional<TokenType> type = TokenType.ofClaim(claims.path("type").asText(""));
        if (id.isEmpty() || collectionId.isEmpty() || type.isEmpty() || !allowed(type.get(), types)) {
            return Optional.empty();
        }
        Optional<Record> record = app.findCollectionByNameOrId(collectionId)
                .filter(c -> c.isAuth() && c.id().equals(collectionId))
                .flatMap(c -> app.findRecordById(c, id));
        if (record.isEmpty()) {
            return Optional.empty();
        }
        String key = record.get().tokenKey() + record.get().collection().auth().tokenSecret(type.get());
        return Jwt.parseVerified(token, key).map(c -> new Verified(record.get(), type.get(), c));
    }

    private static boolean allowed(TokenType type, TokenType[] types) {
        for (TokenType t : types) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    /** A verified token: its record, type and claims. */
    record Verified(Record record, TokenType type, ObjectNode claims) {
    }
}
