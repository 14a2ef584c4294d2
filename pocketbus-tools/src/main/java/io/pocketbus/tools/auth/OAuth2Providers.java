package io.pocketbus.tools.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The providers PocketBase knows by name, with their endpoints, scopes, user mapping, list order and logo;
 * a collection's provider config ({@code name, clientId, clientSecret, authURL, tokenURL, userInfoURL,
 * displayName, pkce, extra}) fills in the client and may override the URLs. {@code oidc}, {@code oidc2} and
 * {@code oidc3} are generic OpenID Connect providers whose URLs come from the config. {@code apple} reads the
 * user from the verified {@code id_token}; its JWKS URL is {@code extra.jwksURL} when set.
 */
public final class OAuth2Providers {
    /** A provider as the dashboard's provider list shows it. */
    public record Known(String name, String displayName, String logo) {
    }

    private record Defaults(int order, String displayName, String logo, String authURL, String tokenURL,
                            String userInfoURL, List<String> scopes,
                            Function<JsonNode, OAuth2Provider.UserFields> mapper) {
    }

    static final String APPLE_JWKS_URL = "https://appleid.apple.com/auth/keys";

    private static final Defaults OIDC = new Defaults(99, "OIDC", OAuth2Logos.OIDC, "", "", "",
            List.of("openid", "profile", "email"), OAuth2Providers::openIdUser);

    private static final Map<String, Defaults> NAMED = Map.of(
            "apple", new Defaults(1, "Apple", OAuth2Logos.APPLE, "https://appleid.apple.com/auth/authorize",
                    "https://appleid.apple.com/auth/token", "", List.of("name", "email"), OAuth2Providers::appleUser),
            "google", new Defaults(2, "Google", OAuth2Logos.GOOGLE, "https://accounts.google.com/o/oauth2/v2/auth",
                    "https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v3/userinfo",
                    List.of("https://www.googleapis.com/auth/userinfo.profile",
                            "https://www.googleapis.com/auth/userinfo.email"), OAuth2Providers::openIdUser),
            "microsoft", new Defaults(3, "Microsoft", OAuth2Logos.MICROSOFT,
                    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                    "https://login.microsoftonline.com/common/oauth2/v2.0/token", "https://graph.microsoft.com/v1.0/me",
                    List.of("User.Read"), j -> new OAuth2Provider.UserFields(text(j, "id"), text(j, "displayName"),
                    "", text(j, "mail"), "")),
            "github", new Defaults(7, "GitHub", OAuth2Logos.GITHUB, "https://github.com/login/oauth/authorize",
                    "https://github.com/login/oauth/access_token", "https://api.github.com/user",
                    List.of("read:user", "user:email"), j -> new OAuth2Provider.UserFields(text(j, "id"),
                    text(j, "name"), text(j, "login"), text(j, "email"), text(j, "avatar_url"))),
            "gitlab", new Defaults(8, "GitLab", OAuth2Logos.GITLAB, "https://gitlab.com/oauth/authorize",
                    "https://gitlab.com/oauth/token", "https://gitlab.com/api/v4/user", List.of("read_user"),
                    j -> new OAuth2Provider.UserFields(text(j, "id"), text(j, "name"), text(j, "username"),
                            text(j, "email"), text(j, "avatar_url"))),
            "discord", new Defaults(12, "Discord", OAuth2Logos.DISCORD, "https://discord.com/api/oauth2/authorize",
                    "https://discord.com/api/oauth2/token", "https://discord.com/api/users/@me",
                    List.of("identify", "email"), OAuth2Providers::discordUser),
            "oidc", OIDC, "oidc2", OIDC, "oidc3", OIDC);

    private OAuth2Providers() {
    }

    /** The provider for a collection's config entry; empty when the name is unknown or a URL is missing. */
    public static Optional<OAuth2Provider> of(JsonNode config) {
        String name = config.path("name").asText("");
        Defaults d = NAMED.get(name);
        if (d == null) {
            return Optional.empty();
        }
        OAuth2Provider.Builder b = OAuth2Provider.builder(name, d.mapper())
                .order(d.order())
                .logo(d.logo())
                .displayName(or(config, "displayName", d.displayName()))
                .client(config.path("clientId").asText(""), config.path("clientSecret").asText(""))
                .urls(or(config, "authURL", d.authURL()), or(config, "tokenURL", d.tokenURL()),
                        or(config, "userInfoURL", d.userInfoURL()))
                .scopes(d.scopes().toArray(String[]::new));
        if (name.equals("apple")) {
            String jwks = config.path("extra").path("jwksURL").asText("");
            b.userSource(new AppleIdTokens(jwks.isEmpty() ? APPLE_JWKS_URL : jwks))
                    .authParams(Map.of("response_mode", "form_post"));
        }
        if (config.path("pkce").isBoolean()) {
            b.pkce(config.path("pkce").asBoolean());
        }
        try {
            return Optional.of(b.build());
        } catch (OAuth2Exception e) {
            return Optional.empty();
        }
    }

    /** Every provider name, ordered as PocketBase lists them (by order, then name). */
    public static List<Known> all() {
        return NAMED.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Defaults> e) -> e.getValue().order())
                        .thenComparing(Map.Entry::getKey))
                .map(e -> new Known(e.getKey(), e.getValue().displayName(), e.getValue().logo()))
                .toList();
    }

    private static String or(JsonNode config, String key, String fallback) {
        String v = config.path(key).asText("");
        return v.isEmpty() ? fallback : v;
    }

    private static String text(JsonNode j, String key) {
        JsonNode v = j.path(key);
        return v.isMissingNode() || v.isNull() ? "" : v.asText("");
    }

    /** {@code email_verified} as OpenID Connect providers send it: a bool or the string "true". */
    private static boolean emailVerified(JsonNode j) {
        return j.path("email_verified").asBoolean(false)
                || j.path("email_verified").asText("").equalsIgnoreCase("true");
    }

    /** OpenID Connect claims; the email only when it is verified. */
    private static OAuth2Provider.UserFields openIdUser(JsonNode j) {
        return new OAuth2Provider.UserFields(text(j, "sub"), text(j, "name"), text(j, "preferred_username"),
                emailVerified(j) ? text(j, "email") : "", text(j, "picture"));
    }

    /** Apple's id_token claims: no name (it only comes with the first redirect), no username or picture. */
    private static OAuth2Provider.UserFields appleUser(JsonNode j) {
        return new OAuth2Provider.UserFields(text(j, "sub"), text(j, "name"), "",
                emailVerified(j) ? text(j, "email") : "", "");
    }

    private static OAuth2Provider.UserFields discordUser(JsonNode j) {
        String id = text(j, "id");
        String avatar = text(j, "avatar");
        String avatarURL = avatar.isEmpty() ? "" : "https://cdn.discordapp.com/avatars/" + id + "/" + avatar + ".png";
        String name = text(j, "global_name").isEmpty() ? text(j, "username") : text(j, "global_name");
        return new OAuth2Provider.UserFields(id, name, text(j, "username"),
                j.path("verified").asBoolean(false) ? text(j, "email") : "", avatarURL);
    }
}
