package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.http.RealtimeApiTest.Frame;
import io.pocketbus.http.RealtimeApiTest.Sse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign in with Apple against the loopback provider standing in for appleid.apple.com: the authorization URL
 * asks for {@code response_mode=form_post}, the browser POSTs {@code state, code, user} to
 * {@code /api/oauth2-redirect}, which hands the code to the SDK's realtime client and keeps the name from
 * {@code user}; {@code auth-with-oauth2} takes the account from the id_token, verified against the JWKS.
 */
class RecordAuthAppleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @TempDir
    Path tmp;
    private AuthFlowServer pb;
    private OidcTestProvider apple;
    private Sse sse;

    @BeforeEach
    void start() {
        apple = new OidcTestProvider();
        pb = new AuthFlowServer(tmp);
        AuthFlowFixtures.disableMfa(pb.app);
        AuthFlowFixtures.changeAuthOption(pb.app, "users", "oauth2", o -> {
            ((ArrayNode) o.get("providers")).add(MAPPER.valueToTree(apple.appleConfig()));
            ((ObjectNode) o.get("mappedFields")).put("name", "name");
        });
    }

    @AfterEach
    void stop() {
        if (sse != null) {
            sse.close();
        }
        pb.close();
        apple.close();
    }

    private JsonNode appleMethod() throws Exception {
        for (JsonNode p : MAPPER.readTree(pb.get("/api/collections/users/auth-methods").body())
                .path("oauth2").path("providers")) {
            if (p.path("name").asText().equals("apple")) {
                return p;
            }
        }
        throw new AssertionError("no apple provider in auth-methods");
    }

    /**
     * The SDK's all-in-one flow up to the redirect: a realtime client subscribed to {@code @oauth2} is the
     * state; the provider is asked for a code; the browser form-posts it back with Apple's {@code user}.
     * Returns the auth-with-oauth2 body.
     */
    private String signInWithApple(String userField) throws Exception {
        JsonNode method = appleMethod();
        sse = Sse.open(pb.baseUrl() + "/api/realtime");
        String clientId = sse.next().id();
        assertThat(pb.post("/api/realtime", "{\"clientId\":\"" + clientId + "\",\"subscriptions\":[\"@oauth2\"]}")
                .status()).isEqualTo(204);
        String redirectURL = pb.baseUrl() + "/api/oauth2-redirect";
        String authURL = method.path("authURL").asText()
                .replace("state=" + method.path("state").asText(), "state=" + clientId)
                + URLEncoder.encode(redirectURL, StandardCharsets.UTF_8);
        HttpResponse<Void> authorized = BROWSER.send(HttpRequest.newBuilder(URI.create(authURL)).build(),
                HttpResponse.BodyHandlers.discarding());
        Map<String, List<String>> answer = RequestBody.parseUrlEncoded(
                URI.create(authorized.headers().firstValue("Location").orElseThrow()).getRawQuery());
        String code = answer.get("code").getFirst();

        String form = "state=" + clientId + "&code=" + code + "&user="
                + URLEncoder.encode(userField, StandardCharsets.UTF_8);
        HttpResponse<String> posted = BROWSER.send(HttpRequest.newBuilder(URI.create(redirectURL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(posted.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-success");
        Frame message = sse.next();
        assertThat(message.event()).isEqualTo("@oauth2");
        assertThat(MAPPER.readTree(message.data())).isEqualTo(MAPPER.readTree(
                "{\"state\":\"" + clientId + "\",\"code\":\"" + code + "\"}"));
        return MAPPER.writeValueAsString(Map.of("provider", "apple", "code", code,
                "codeVerifier", method.path("codeVerifier").asText(), "redirectURL", redirectURL));
    }

    @Test
    void authMethodsAsksAppleForAFormPost() throws Exception {
        JsonNode method = appleMethod();
        assertThat(method.path("displayName").asText()).isEqualTo("Apple");
        assertThat(method.path("logo").asText()).startsWith("<svg ");
        assertThat(method.path("authURL").asText()).startsWith(apple.baseUrl() + "/authorize?")
                .contains("response_mode=form_post", "scope=name+email", "code_challenge_method=S256")
                .endsWith("&redirect_uri=");
    }

    @Test
    void firstSignInTakesTheNameFromTheRedirectAndTheAccountFromTheIdToken() throws Exception {
        apple.user("001234.apple-sub", "ada@example.com", "");
        String body = signInWithApple("{\"name\":{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},"
                + "\"email\":\"ada@example.com\"}");
        AuthFlowServer.Response r = pb.post("/api/collections/users/auth-with-oauth2", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode json = MAPPER.readTree(r.body());
        assertThat(json.path("meta").path("id").asText()).isEqualTo("001234.apple-sub");
        assertThat(json.path("meta").path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(json.path("meta").path("isNew").asBoolean()).isTrue();
        assertThat(json.path("meta").path("rawUser").path("iss").asText()).isEqualTo("https://appleid.apple.com");
        assertThat(json.path("record").path("email").asText()).isEqualTo("ada@example.com");
        assertThat(json.path("record").path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(json.path("record").path("verified").asBoolean()).isTrue();

        // later sign-ins carry no user field: the existing account is found through its link
        String again = signInWithApple("");
        AuthFlowServer.Response second = pb.post("/api/collections/users/auth-with-oauth2", again);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(second.body()).path("meta").path("isNew").asBoolean()).isFalse();
        assertThat(MAPPER.readTree(second.body()).path("meta").path("name").asText()).isEmpty();
        assertThat(MAPPER.readTree(second.body()).path("record").path("id").asText())
                .isEqualTo(json.path("record").path("id").asText());
    }

    @Test
    void anIdTokenNotSignedByAJwksKeyIsRefused() throws Exception {
        apple.user("forged-sub", "mallory@example.com", "");
        apple.forgeIdTokens();
        String body = signInWithApple("");
        AuthFlowServer.Response r = pb.post("/api/collections/users/auth-with-oauth2", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Failed to fetch OAuth2 user.");
        assertThat(pb.app.findAuthRecordByEmail("users", "mallory@example.com")).isEmpty();
    }

    @Test
    void aRedirectNobodyReceivesKeepsNoName() throws Exception {
        apple.user("nameless-sub", "nameless@example.com", "");
        JsonNode method = appleMethod();
        String redirectURL = pb.baseUrl() + "/api/oauth2-redirect";
        HttpResponse<Void> authorized = BROWSER.send(HttpRequest.newBuilder(URI.create(method.path("authURL").asText()
                + URLEncoder.encode(redirectURL, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.discarding());
        String code = RequestBody.parseUrlEncoded(URI.create(authorized.headers().firstValue("Location").orElseThrow())
                .getRawQuery()).get("code").getFirst();
        // no realtime client has this state: the redirect fails and the name is not kept for the code
        HttpResponse<String> posted = BROWSER.send(HttpRequest.newBuilder(URI.create(redirectURL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("state=nobody&code=" + code + "&user="
                        + URLEncoder.encode("{\"name\":{\"firstName\":\"Eve\"}}", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");
        AuthFlowServer.Response r = pb.post("/api/collections/users/auth-with-oauth2", MAPPER.writeValueAsString(
                Map.of("provider", "apple", "code", code, "codeVerifier", method.path("codeVerifier").asText(),
                        "redirectURL", redirectURL)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(r.body()).path("meta").path("name").asText()).isEmpty();
    }

    @Test
    void theClientSecretIsAnEs256JwtForApple() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String su = pb.tokenOf("_superusers", "test@example.com");
        String path = "/api/settings/apple/generate-client-secret";
        AuthFlowServer.Response r = pb.post(path, MAPPER.writeValueAsString(Map.of("clientId", "com.example.web",
                "teamId", "TEAM123456", "keyId", "KEY1234567", "privateKey", pem, "duration", 3600)),
                "Authorization", su);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String[] jwt = MAPPER.readTree(r.body()).path("secret").asText().split("\\.");
        Base64.Decoder b64 = Base64.getUrlDecoder();
        assertThat(new String(b64.decode(jwt[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"ES256\",\"kid\":\"KEY1234567\",\"typ\":\"JWT\"}");
        JsonNode claims = MAPPER.readTree(b64.decode(jwt[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("TEAM123456");
        assertThat(claims.path("sub").asText()).isEqualTo("com.example.web");
        assertThat(claims.path("aud").get(0).asText()).isEqualTo("https://appleid.apple.com");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initVerify(key.getPublic());
        ecdsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(ecdsa.verify(b64.decode(jwt[2]))).isTrue();

        AuthFlowServer.Response invalid = pb.post(path, "{\"teamId\":\"short\",\"privateKey\":\"nope\","
                + "\"duration\":99999999}", "Authorization", su);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(MAPPER.readTree(invalid.body())).isEqualTo(MAPPER.readTree("""
                {"data":{"clientId":{"code":"validation_required","message":"Cannot be blank."},
                 "duration":{"code":"validation_max_less_equal_than_required",
                  "message":"Must be no greater than 15777000.","params":{"threshold":15777000}},
                 "keyId":{"code":"validation_required","message":"Cannot be blank."},
                 "privateKey":{"code":"validation_match_invalid","message":"Must be in a valid format."},
                 "teamId":{"code":"validation_length_invalid","message":"The length must be exactly 10.",
                  "params":{"max":10,"min":10}}},
                 "message":"Invalid client secret data.","status":400}"""));
        AuthFlowServer.Response badKey = pb.post(path, MAPPER.writeValueAsString(Map.of("clientId", "c",
                "teamId", "TEAM123456", "keyId", "KEY1234567", "duration", 60,
                "privateKey", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")), "Authorization", su);
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.body()).contains("Failed to generate client secret. Raw error: ");
        assertThat(pb.post(path, "{}").status()).isEqualTo(401);
        assertThat(pb.post(path, "{}", "Authorization", pb.tokenOf("users", "test@example.com")).status())
                .isEqualTo(403);
    }
}
