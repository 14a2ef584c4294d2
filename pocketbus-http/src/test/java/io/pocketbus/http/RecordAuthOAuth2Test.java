package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExternalAuths;
import io.pocketbus.core.FileField;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.Record;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth2 end to end against an OpenID Connect provider on loopback: auth-methods gives the state and PKCE
 * pair, the "browser" follows the authURL, the provider redirects back with a code, auth-with-oauth2
 * exchanges it with the verifier.
 */
class RecordAuthOAuth2Test {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    private final ApiHooks hooks = new ApiHooks();
    private AuthFlowServer pb;
    private OidcTestProvider oidc;
    private String lastVerifier = "";

    @BeforeEach
    void start() {
        oidc = new OidcTestProvider();
        pb = new AuthFlowServer(tmp, hooks);
        AuthFlowFixtures.disableMfa(pb.app);
        AuthFlowFixtures.changeAuthOption(pb.app, "users", "oauth2",
                o -> ((ArrayNode) o.get("providers")).add(MAPPER.valueToTree(oidc.providerConfig())));
    }

    @AfterEach
    void stop() {
        pb.close();
        oidc.close();
    }

    /** Runs the browser part; returns the auth-with-oauth2 body fields code, codeVerifier and redirectURL. */
    private Map<String, String> authorize() throws Exception {
        JsonNode methods = MAPPER.readTree(pb.get("/api/collections/users/auth-methods").body());
        JsonNode provider = null;
        for (JsonNode p : methods.path("oauth2").path("providers")) {
            if (p.path("name").asText().equals("oidc")) {
                provider = p;
            }
        }
        assertThat(provider).isNotNull();
        assertThat(provider.path("displayName").asText()).isEqualTo("Test OIDC");
        assertThat(provider.path("logo").asText()).startsWith("<svg ").endsWith("</svg>");
        for (JsonNode legacy : methods.path("authProviders")) {
            assertThat(legacy.path("logo").asText()).isEmpty();
        }
        assertThat(provider.path("state").asText()).hasSize(30);
        assertThat(provider.path("codeVerifier").asText()).hasSize(43);
        assertThat(provider.path("codeChallengeMethod").asText()).isEqualTo("S256");
        String authURL = provider.path("authURL").asText();
        assertThat(authURL).startsWith(oidc.baseUrl() + "/authorize?").endsWith("&redirect_uri=");
        String redirectURL = pb.baseUrl() + "/api/oauth2-redirect";
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(authURL
                        + java.net.URLEncoder.encode(redirectURL, java.nio.charset.StandardCharsets.UTF_8))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        Map<String, List<String>> query = RequestBody.parseUrlEncoded(URI.create(location).getRawQuery());
        assertThat(query.get("state")).containsExactly(provider.path("state").asText());
        lastVerifier = provider.path("codeVerifier").asText();
        return Map.of("code", query.get("code").getFirst(), "codeVerifier", provider.path("codeVerifier").asText(),
                "redirectURL", redirectURL);
    }

    private AuthFlowServer.Response login(Map<String, String> grant, String... headers) throws Exception {
        String body = MAPPER.writeValueAsString(Map.of("provider", "oidc", "code", grant.get("code"),
                "codeVerifier", grant.get("codeVerifier"), "redirectURL", grant.get("redirectURL"),
                "createData", Map.of("name", "From createData")));
        return pb.post("/api/collections/users/auth-with-oauth2", body, headers);
    }

    @Test
    void newUserIsCreatedAndLinked() throws Exception {
        oidc.user("sub-new", "newcomer@example.com", "newcomer");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("meta", "record", "token");
        assertThat(body.path("meta").path("isNew").asBoolean()).isTrue();
        assertThat(body.path("meta").path("id").asText()).isEqualTo("sub-new");
        assertThat(body.path("meta").path("accessToken").asText()).isNotEmpty();
        assertThat(body.path("record").path("email").asText()).isEqualTo("newcomer@example.com");
        assertThat(body.path("record").path("verified").asBoolean()).isTrue();
        assertThat(body.path("record").path("name").asText()).isEqualTo("From createData");
        assertThat(body.path("record").path("username").asText()).isEqualTo("newcomer");

        Record user = pb.app.findAuthRecordByEmail("users", "newcomer@example.com").orElseThrow();
        assertThat(ExternalAuths.findAllByRecord(pb.app, user)).singleElement().satisfies(link -> {
            assertThat(link.getString("provider")).isEqualTo("oidc");
            assertThat(link.getString("providerId")).isEqualTo("sub-new");
        });

        // the next login finds the record through the link
        AuthFlowServer.Response again = login(authorize());
        assertThat(again.status()).isEqualTo(200);
        assertThat(MAPPER.readTree(again.body()).path("meta").path("isNew").asBoolean()).isFalse();
        assertThat(ExternalAuths.findAllByRecord(pb.app, user)).hasSize(1);
    }

    @Test
    void existingUserWithTheSameEmailIsLinked() throws Exception {
        Record existing = AuthFlowFixtures.user(pb.app, "test3@example.com");
        int linksBefore = ExternalAuths.findAllByRecord(pb.app, existing).size();
        oidc.user("sub-existing", "test3@example.com", "someone");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.path("meta").path("isNew").asBoolean()).isFalse();
        assertThat(body.path("record").path("id").asText()).isEqualTo(existing.id());
        List<String> providers = new ArrayList<>();
        ExternalAuths.findAllByRecord(pb.app, existing).forEach(l -> providers.add(l.getString("provider")));
        assertThat(providers).hasSize(linksBefore + 1).contains("oidc");
        assertThat(ExternalAuths.findByProvider(pb.app, existing.collection(), "oidc", "sub-existing")).isPresent();
    }

    @Test
    void failures() throws Exception {
        oidc.user("sub-x", "x@example.com", "x");
        Map<String, String> grant = authorize();
        AuthFlowServer.Response badVerifier = login(Map.of("code", grant.get("code"),
                "codeVerifier", "wrong-verifier-wrong-verifier-wrong-verifier", "redirectURL", grant.get("redirectURL")));
        assertThat(badVerifier.status()).isEqualTo(400);
        assertThat(badVerifier.body()).contains("Failed to fetch OAuth2 token.");
        assertThat(pb.app.findAuthRecordByEmail("users", "x@example.com")).isEmpty();

        AuthFlowServer.Response unknown = pb.post("/api/collections/users/auth-with-oauth2",
                "{\"provider\":\"nope\",\"code\":\"c\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"provider\":{\"code\":\"validation_invalid_provider\"");
        AuthFlowServer.Response disabled = pb.post("/api/collections/clients/auth-with-oauth2",
                "{\"provider\":\"oidc\",\"code\":\"c\"}");
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.body()).contains("The collection is not configured to allow OAuth2 authentication.");
    }

    @Test
    void authMethodsWithOAuth2Off() {
        ApiScenario.of("oauth2 disabled").request("GET", "/api/collections/clients/auth-methods").status(200)
                .contains("\"oauth2\":{\"providers\":[],\"enabled\":false}", "\"authProviders\":null").run(tmp);
    }

    private void mapAvatarTo(String field) {
        AuthFlowFixtures.changeAuthOption(pb.app, "users", "oauth2",
                o -> ((ObjectNode) o.get("mappedFields")).put("avatarURL", field));
    }

    private void changeUsers(Consumer<Collection> change) {
        Collection users = pb.app.findCollectionByNameOrId("users").orElseThrow().copy();
        change.accept(users);
        pb.app.save(users);
    }

    @Test
    void signUpRunsTheCreateRequestWithItsHooksInTheOAuth2Context() throws Exception {
        List<String> contexts = new ArrayList<>();
        hooks.onRecordCreateRequest("users").bindFunc(ev -> {
            contexts.add(ev.request().requestInfo().context());
            ev.record().set("name", ev.record().getString("name") + " (hooked)");
            ev.next();
        });
        oidc.user("sub-hooked", "hooked@example.com", "hooked");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(contexts).containsExactly("oauth2");
        assertThat(MAPPER.readTree(r.body()).path("record").path("name").asText())
                .isEqualTo("From createData (hooked)");
        assertThat(AuthFlowFixtures.user(pb.app, "hooked@example.com").getString("name"))
                .isEqualTo("From createData (hooked)");
    }

    @Test
    void aCreateHookCanRefuseTheSignUp() throws Exception {
        hooks.onRecordCreateRequest("users").bindFunc(ev -> {
            throw ApiError.badRequest("No new accounts today.");
        });
        oidc.user("sub-refused", "refused@example.com", "refused");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Failed to authenticate.");
        assertThat(pb.app.findAuthRecordByEmail("users", "refused@example.com")).isEmpty();
        assertThat(pb.app.findRecordsByField(pb.app.findCollectionByNameOrId("_externalAuths").orElseThrow(),
                "providerId", "sub-refused")).isEmpty();
    }

    @Test
    void aCreateHookThatAnswersItselfLeavesNoAccount() throws Exception {
        hooks.onRecordCreateRequest("users").bindFunc(ev -> ev.request().json(200, Map.of("handled", true)));
        oidc.user("sub-answered", "answered@example.com", "answered");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("Failed to authenticate.");
        assertThat(pb.app.findAuthRecordByEmail("users", "answered@example.com")).isEmpty();
    }

    @Test
    void theCreateRuleSeesTheOAuth2Context() throws Exception {
        changeUsers(c -> c.setCreateRule(Optional.of("@request.context != 'oauth2'")));
        oidc.user("sub-rule", "rule@example.com", "rule");
        AuthFlowServer.Response refused = login(authorize());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(pb.app.findAuthRecordByEmail("users", "rule@example.com")).isEmpty();

        changeUsers(c -> c.setCreateRule(Optional.of("@request.context = 'oauth2'")));
        AuthFlowServer.Response allowed = login(authorize());
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    }

    @Test
    void theProviderAvatarIsDownloadedIntoTheMappedFileField() throws Exception {
        mapAvatarTo("avatar");
        oidc.user("sub-avatar", "avatar@example.com", "avatar", "/avatar.png");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Record user = AuthFlowFixtures.user(pb.app, "avatar@example.com");
        String stored = user.getString("avatar");
        assertThat(stored).startsWith("avatar_").endsWith(".png");
        assertThat(pb.app.files().read(FileStorage.fileKey(user, stored))).isEqualTo(OidcTestProvider.AVATAR_PNG);
        assertThat(MAPPER.readTree(r.body()).path("meta").path("avatarURL").asText())
                .isEqualTo(oidc.baseUrl() + "/avatar.png");
    }

    @Test
    void anAvatarThatCannotBeFetchedDoesNotFailTheSignUp() throws Exception {
        mapAvatarTo("avatar");
        oidc.user("sub-noavatar", "noavatar@example.com", "noavatar", "/missing.png");
        AuthFlowServer.Response r = login(authorize());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(AuthFlowFixtures.user(pb.app, "noavatar@example.com").getString("avatar")).isEmpty();
    }

    @Test
    void theAvatarMeetsTheFieldLimitsLikeAnUpload() throws Exception {
        mapAvatarTo("avatar");
        changeUsers(c -> ((FileField) c.field("avatar").orElseThrow()).setMaxSize(10));
        oidc.user("sub-big", "big@example.com", "big", "/avatar.png");
        AuthFlowServer.Response tooBig = login(authorize());
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body()).contains("Failed to authenticate.");
        assertThat(pb.app.findAuthRecordByEmail("users", "big@example.com")).isEmpty();

        changeUsers(c -> ((FileField) c.field("avatar").orElseThrow()).setMaxSize(1 << 20)
                .setMimeTypes(List.of("image/gif")));
        AuthFlowServer.Response wrongType = login(authorize());
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(pb.app.findAuthRecordByEmail("users", "big@example.com")).isEmpty();
    }

    @Test
    void anAvatarMappedToATextFieldKeepsTheUrl() throws Exception {
        mapAvatarTo("name");
        oidc.user("sub-url", "url@example.com", "url", "/avatar.png");
        String body = MAPPER.writeValueAsString(Map.of("provider", "oidc", "code", authorize().get("code"),
                "codeVerifier", lastVerifier, "redirectURL", pb.baseUrl() + "/api/oauth2-redirect"));
        AuthFlowServer.Response r = pb.post("/api/collections/users/auth-with-oauth2", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(AuthFlowFixtures.user(pb.app, "url@example.com").getString("name"))
                .isEqualTo(oidc.baseUrl() + "/avatar.png");
    }

    @Test
    void theProviderListIsForSuperusers() {
        // the SVGs come with "<" HTML-escaped, as Go's encoding/json writes them
        ApiScenario.of("all providers").request("GET", "/api/collections/meta/oauth2-providers")
                .auth("_superusers", "test@example.com").status(200)
                .contains("[{\"name\":\"apple\",\"displayName\":\"Apple\",\"logo\":\"\\u003csvg ",
                        "{\"name\":\"oidc3\",\"displayName\":\"OIDC\",\"logo\":\"\\u003csvg ").run(tmp);
        ApiScenario.of("user").request("GET", "/api/collections/meta/oauth2-providers")
                .auth("users", "test@example.com").status(403).run(tmp);
        ApiScenario.of("guest").request("GET", "/api/collections/meta/oauth2-providers").status(401).run(tmp);
    }
}
