package io.pocketbus.tools.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The account an OAuth2 provider reported, PocketBase's {@code auth.AuthUser}. {@code email} is only set
 * when the provider says it is verified (or the provider only returns verified addresses).
 */
public record OAuth2User(String id, String name, String username, String email, String avatarURL,
                         String accessToken, String refreshToken, Optional<Instant> expiry,
                         Map<String, Object> rawUser) {
    public OAuth2User {
        rawUser = Map.copyOf(rawUser.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** This account with {@code value} as its name (Apple's name comes from the redirect, not the token). */
    public OAuth2User withName(String value) {
        return new OAuth2User(id, value, username, email, avatarURL, accessToken, refreshToken, expiry, rawUser);
    }
}
