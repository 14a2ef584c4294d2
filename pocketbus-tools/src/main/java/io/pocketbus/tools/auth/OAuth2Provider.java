package io.pocketbus.tools.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One configured OAuth2 provider: the authorization-code flow with optional PKCE (S256), the token exchange
 * and the user info request, mapping the provider's user JSON to an {@link OAuth2User}. Build named ones
 * with {@link OAuth2Providers#of}.
 */
public final class OAuth2Provider {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final String name;
    private final String displayName;
    private final String clientId;
    private final String clientSecret;
    private final String authURL;
    private final String tokenURL;
    private final String userInfoURL;
    private final List<String> scopes;
    private final boolean pkce;
    private final Function<JsonNode, UserFields> userMapper;

    /** What a provider's user JSON maps to. */
    record UserFields(String id, String name, String username, String email, String avatarURL) {
    }

    private OAuth2Provider(Builder b) {
        this.name = b.name;
        this.displayName = b.displayName.isEmpty() ? b.name : b.displayName;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.authURL = b.authURL;
        this.tokenURL = b.tokenURL;
        this.userInfoURL = b.userInfoURL;
        this.scopes = List.copyOf(b.scopes);
        this.pkce = b.pkce;
        this.userMapper = b.userMapper;
    }

    static Builder builder(String name, Function<JsonNode, UserFields> userMapper) {
        return new Builder(name, userMapper);
    }

    public String name() {
        return name;
    }

    public String displayName() {
        return displayName;
    }

    public boolean pkce() {
        return pkce;
    }

    /**
     * The URL to send the user to, without {@code redirect_uri} (PocketBase's clients append it):
     * response type, client id, scope, state and, with PKCE, the challenge.
     */
    public String authUrl(String state, Optional<String> codeChallenge) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", clientId);
        params.put("response_type", "code");
        if (!scopes.isEmpty()) {
            params.put("scope", String.join(" ", scopes));
        }
        params.put("state", state);
        codeChallenge.ifPresent(c -> {
            params.put("code_challenge", c);
            params.put("code_challenge_method", "S256");
        });
        return authURL + (authURL.contains("?") ? "&" : "?") + form(params);
    }

    /** PKCE's S256 challenge of a verifier: base64url(sha256(verifier)) without padding. */
    public static String s256Challenge(String codeVerifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** Exchanges the code (with its PKCE verifier) for a token, then fetches and maps the user. */
    public OAuth2User authenticate(String code, String codeVerifier, String redirectURL) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectURL);
        params.put("client_id", clientId);
        params.put("client_secret", clientSecret);
        if (pkce && !codeVerifier.isEmpty()) {
            params.put("code_verifier", codeVerifier);
        }
        JsonNode token = call(HttpRequest.newBuilder(URI.create(tokenURL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))), "token");
        String accessToken = token.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new OAuth2Exception("the token response has no access_token");
        }
        long expiresIn = token.path("expires_in").asLong(0);
        JsonNode raw = call(HttpRequest.newBuilder(URI.create(userInfoURL))
                .header("Authorization", "Bearer " + accessToken).GET(), "user info");
        UserFields f = userMapper.apply(raw);
        if (f.id().isEmpty()) {
            throw new OAuth2Exception("the provider returned no user id");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rawUser = MAPPER.convertValue(raw, Map.class);
        return new OAuth2User(f.id(), f.name(), f.username(), f.email(), f.avatarURL(), accessToken,
                token.path("refresh_token").asText(""),
                expiresIn > 0 ? Optional.of(Instant.now().plusSeconds(expiresIn)) : Optional.empty(), rawUser);
    }

    private static JsonNode call(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request.header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() > 299) {
                throw new OAuth2Exception("the " + what + " request failed with status " + response.statusCode());
            }
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new OAuth2Exception("the " + what + " request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuth2Exception("interrupted", e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** Provider settings; a collection's config overrides the named provider's defaults where non-empty. */
    static final class Builder {
        private final String name;
        private final Function<JsonNode, UserFields> userMapper;
        private String displayName = "";
        private String clientId = "";
        private String clientSecret = "";
        private String authURL = "";
        private String tokenURL = "";
        private String userInfoURL = "";
        private List<String> scopes = List.of();
        private boolean pkce = true;

        private Builder(String name, Function<JsonNode, UserFields> userMapper) {
            this.name = Objects.requireNonNull(name, "name");
            this.userMapper = Objects.requireNonNull(userMapper, "userMapper");
        }

        Builder displayName(String v) {
            this.displayName = v;
            return this;
        }

        Builder client(String id, String secret) {
            this.clientId = id;
            this.clientSecret = secret;
            return this;
        }

        Builder urls(String auth, String token, String userInfo) {
            this.authURL = auth;
            this.tokenURL = token;
            this.userInfoURL = userInfo;
            return this;
        }

        Builder scopes(String... v) {
            this.scopes = List.of(v);
            return this;
        }

        Builder pkce(boolean v) {
            this.pkce = v;
            return this;
        }

        OAuth2Provider build() {
            if (authURL.isEmpty() || tokenURL.isEmpty() || userInfoURL.isEmpty()) {
                throw new OAuth2Exception("the " + name + " provider needs its auth, token and user info URLs");
            }
            return new OAuth2Provider(this);
        }
    }
}
