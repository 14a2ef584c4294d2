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
    private final int order;
    private final String displayName;
    private final String logo;
    private final String clientId;
    private final String clientSecret;
    private final String authURL;
    private final String tokenURL;
    private final String userInfoURL;
    private final List<String> scopes;
    private final boolean pkce;
    private final Map<String, String> authParams;
    private final UserSource userSource;
    private final Function<JsonNode, UserFields> userMapper;

    /** What a provider's user JSON maps to. */
    record UserFields(String id, String name, String username, String email, String avatarURL) {
    }

    /**
     * Where the user JSON comes from once the code is exchanged: by default the user info endpoint; Apple's
     * verified {@code id_token} claims instead.
     */
    @FunctionalInterface
    interface UserSource {
        JsonNode fetch(OAuth2Provider provider, JsonNode tokenResponse, String accessToken);
    }

    private OAuth2Provider(Builder b) {
        this.name = b.name;
        this.order = b.order;
        this.displayName = b.displayName.isEmpty() ? b.name : b.displayName;
        this.logo = b.logo;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.authURL = b.authURL;
        this.tokenURL = b.tokenURL;
        this.userInfoURL = b.userInfoURL;
        this.scopes = List.copyOf(b.scopes);
        this.pkce = b.pkce;
        this.authParams = Map.copyOf(b.authParams);
        this.userSource = b.userSource;
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

    /** The provider's inline SVG logo, as auth-methods lists it. */
    public String logo() {
        return logo;
    }

    /** Where the provider sorts in a list of all providers (then by name). */
    public int order() {
        return order;
    }

    String clientId() {
        return clientId;
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
        params.putAll(authParams);
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

    /** Exchanges the code (with its PKCE verifier) for the provider's token response. */
    public JsonNode fetchToken(String code, String codeVerifier, String redirectURL) {
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
        if (token.path("access_token").asText("").isEmpty()) {
            throw new OAuth2Exception("the token response has no access_token");
        }
        return token;
    }

    /** The account behind a token response of {@link #fetchToken}. */
    public OAuth2User fetchUser(JsonNode token) {
        String accessToken = token.path("access_token").asText("");
        long expiresIn = token.path("expires_in").asLong(0);
        JsonNode raw = userSource.fetch(this, token, accessToken);
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

    /** The default {@link UserSource}: the user info endpoint with the access token. */
    private static JsonNode userInfo(OAuth2Provider provider, JsonNode tokenResponse, String accessToken) {
        return call(HttpRequest.newBuilder(URI.create(provider.userInfoURL))
                .header("Authorization", "Bearer " + accessToken).GET(), "user info");
    }

    static JsonNode call(HttpRequest.Builder request, String what) {
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
        private int order;
        private String displayName = "";
        private String logo = "";
        private String clientId = "";
        private String clientSecret = "";
        private String authURL = "";
        private String tokenURL = "";
        private String userInfoURL = "";
        private List<String> scopes = List.of();
        private boolean pkce = true;
        private Map<String, String> authParams = Map.of();
        private UserSource userSource = OAuth2Provider::userInfo;
        private boolean needsUserInfoURL = true;

        private Builder(String name, Function<JsonNode, UserFields> userMapper) {
            this.name = Objects.requireNonNull(name, "name");
            this.userMapper = Objects.requireNonNull(userMapper, "userMapper");
        }

        Builder displayName(String v) {
            this.displayName = v;
            return this;
        }

        Builder order(int v) {
            this.order = v;
            return this;
        }

        Builder logo(String v) {
            this.logo = v;
            return this;
        }

        /** Extra parameters of the authorization URL (Apple's {@code response_mode=form_post}). */
        Builder authParams(Map<String, String> v) {
            this.authParams = new LinkedHashMap<>(v);
            return this;
        }

        /** Takes the user from somewhere else than the user info endpoint, which is then not needed. */
        Builder userSource(UserSource v) {
            this.userSource = Objects.requireNonNull(v, "userSource");
            this.needsUserInfoURL = false;
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
            if (authURL.isEmpty() || tokenURL.isEmpty() || (needsUserInfoURL && userInfoURL.isEmpty())) {
                throw new OAuth2Exception("the " + name + " provider needs its auth, token and user info URLs");
            }
            return new OAuth2Provider(this);
        }
    }
}
