package io.pocketbus.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.tools.auth.OAuth2Provider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider on loopback (JDK HttpServer): {@code /authorize} issues a code bound to
 * the PKCE challenge and redirect URI and redirects back; {@code /token} checks client credentials, the
 * verifier and the redirect URI, and also returns an RS256 {@code id_token} as Sign in with Apple does (its
 * key at {@code /jwks}); {@code /userinfo} returns the configured user's claims. Public (in the
 * test jar) for the SDK's all-in-one OAuth2 flow in pocketbus-it.
 */
public final class OidcTestProvider implements AutoCloseable {
    static final String CLIENT_ID = "test-client";
    static final String CLIENT_SECRET = "test-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY_ID = "test-key";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** What {@code /avatar.png} serves: a real 4x4 PNG, so content sniffing sees an image. */
    public static final byte[] AVATAR_PNG = png();

    private record Grant(String challenge, String redirectUri) {
    }

    private final com.sun.net.httpserver.HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> accessTokens = new ConcurrentHashMap<>();
    private volatile Map<String, Object> user = Map.of();
    private final KeyPair signingKeys = rsaKeys();
    private final KeyPair forgerKeys = rsaKeys();
    private volatile boolean forgeIdTokens;

    public OidcTestProvider() {
        try {
            server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/authorize", ex -> {
            Map<String, List<String>> q = RequestBody.parseUrlEncoded(ex.getRequestURI().getRawQuery());
            String code = UUID.randomUUID().toString();
            String redirect = first(q, "redirect_uri");
            codes.put(code, new Grant(first(q, "code_challenge"), redirect));
            ex.getResponseHeaders().add("Location", redirect + "?code=" + code + "&state="
                    + URLEncoder.encode(first(q, "state"), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/token", ex -> {
            Map<String, List<String>> form = RequestBody.parseUrlEncoded(
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Grant grant = codes.remove(first(form, "code"));
            boolean ok = grant != null && CLIENT_ID.equals(first(form, "client_id"))
                    && CLIENT_SECRET.equals(first(form, "client_secret"))
                    && grant.redirectUri().equals(first(form, "redirect_uri"))
                    && grant.challenge().equals(OAuth2Provider.s256Challenge(first(form, "code_verifier")));
            if (!ok) {
                respond(ex, 400, Map.of("error", "invalid_grant"));
                return;
            }
            String access = UUID.randomUUID().toString();
            accessTokens.put(access, true);
            respond(ex, 200, Map.of("access_token", access, "token_type", "Bearer", "expires_in", 3600,
                    "refresh_token", "refresh-" + access, "id_token", idToken()));
        });
        server.createContext("/jwks", ex -> {
            RSAPublicKey key = (RSAPublicKey) signingKeys.getPublic();
            respond(ex, 200, Map.of("keys", List.of(Map.of("kty", "RSA", "kid", KEY_ID, "use", "sig",
                    "alg", "RS256", "n", B64URL.encodeToString(unsigned(key.getModulus())),
                    "e", B64URL.encodeToString(unsigned(key.getPublicExponent()))))));
        });
        server.createContext("/avatar.png", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, AVATAR_PNG.length);
            ex.getResponseBody().write(AVATAR_PNG);
            ex.close();
        });
        server.createContext("/userinfo", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !accessTokens.containsKey(auth.replace("Bearer ", ""))) {
                respond(ex, 401, Map.of("error", "invalid_token"));
                return;
            }
            respond(ex, 200, user);
        });
        server.start();
    }

    /** The account the next logins get. */
    public void user(String sub, String email, String username) {
        user = Map.of("sub", sub, "name", "Test " + sub, "preferred_username", username, "email", email,
                "email_verified", true);
    }

    /** The account the next logins get, with a {@code picture} at {@code picturePath} on this server. */
    public void user(String sub, String email, String username, String picturePath) {
        user = Map.of("sub", sub, "name", "Test " + sub, "preferred_username", username, "email", email,
                "email_verified", true, "picture", baseUrl() + picturePath);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, id_tokens are signed with a key the JWKS does not publish. */
    public void forgeIdTokens() {
        forgeIdTokens = true;
    }

    /** The config of the {@code apple} provider pointed at this server (id_token, JWKS, no user info). */
    public Map<String, Object> appleConfig() {
        return Map.of("name", "apple", "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET,
                "authURL", baseUrl() + "/authorize", "tokenURL", baseUrl() + "/token",
                "extra", Map.of("jwksURL", baseUrl() + "/jwks"));
    }

    /**
     * An RS256 id_token as Sign in with Apple issues it: Apple's issuer, our client as audience, the user's
     * {@code sub} and {@code email} with {@code email_verified} as a string, and no name.
     */
    private String idToken() {
        long now = java.time.Instant.now().getEpochSecond();
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("iss", "https://appleid.apple.com");
        claims.put("aud", CLIENT_ID);
        claims.put("iat", now);
        claims.put("exp", now + 600);
        claims.put("sub", user.getOrDefault("sub", ""));
        claims.put("email", user.getOrDefault("email", ""));
        claims.put("email_verified", "true");
        try {
            String input = B64URL.encodeToString(MAPPER.writeValueAsBytes(Map.of("alg", "RS256", "kid", KEY_ID)))
                    + "." + B64URL.encodeToString(MAPPER.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign((forgeIdTokens ? forgerKeys : signingKeys).getPrivate());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** The collection provider config for this server. */
    public Map<String, Object> providerConfig() {
        return Map.of("name", "oidc", "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET,
                "authURL", baseUrl() + "/authorize", "tokenURL", baseUrl() + "/token",
                "userInfoURL", baseUrl() + "/userinfo", "displayName", "Test OIDC", "pkce", true);
    }

    private static byte[] png() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(4, 4,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0x336699);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? "" : v.getFirst();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
