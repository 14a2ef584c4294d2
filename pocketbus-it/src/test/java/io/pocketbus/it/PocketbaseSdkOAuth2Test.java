package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.Pocketbus;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExternalAuths;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.Record;
import io.pocketbus.http.OidcTestProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/pocketbase-sdk-oauth2.test.mjs}: the official SDK's all-in-one
 * {@code authWithOAuth2({provider})} against the loopback OpenID Connect provider of the http tests. The SDK
 * subscribes to {@code @oauth2} on its own realtime connection; the Node test's {@code urlCallback} plays the
 * browser with plain HTTP requests (provider authorize → {@code /api/oauth2-redirect}), and the server pushes
 * the code to the SDK's realtime client, which completes the login. The sign-up takes the SDK's
 * {@code createData} and downloads the provider's picture into the mapped {@code avatar} file field.
 */
class PocketbaseSdkOAuth2Test {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkCompletesTheAllInOneOAuth2Flow() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/pocketbase/package.json")).exists();
        try (OidcTestProvider oidc = new OidcTestProvider();
                Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build()) {
            pocketbus.start();
            App app = pocketbus.app();
            Collection users = app.findCollectionByNameOrId("users").orElseThrow().copy();
            ObjectNode oauth2 = (ObjectNode) users.auth().get("oauth2");
            oauth2.put("enabled", true);
            ((ArrayNode) oauth2.get("providers")).add(MAPPER.valueToTree(oidc.providerConfig()));
            ((ObjectNode) oauth2.get("mappedFields")).put("avatarURL", "avatar");
            app.save(users);
            oidc.user("sub-sdk", "oauth2-sdk@example.com", "oauth2sdk", "/avatar.png");

            NodeTestRunner.run("src/test/node/pocketbase-sdk-oauth2.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url()));

            Record user = app.findAuthRecordByEmail("users", "oauth2-sdk@example.com").orElseThrow();
            assertThat(user.getString("name")).isEqualTo("From the SDK");
            assertThat(app.files().read(FileStorage.fileKey(user, user.getString("avatar"))))
                    .isEqualTo(OidcTestProvider.AVATAR_PNG);
            assertThat(ExternalAuths.findAllByRecord(app, user)).singleElement().satisfies(link -> {
                assertThat(link.getString("provider")).isEqualTo("oidc");
                assertThat(link.getString("providerId")).isEqualTo("sub-sdk");
            });
        }
    }
}
