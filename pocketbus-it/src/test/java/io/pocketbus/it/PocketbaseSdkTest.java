package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/pocketbase-sdk.test.mjs} with {@code node --test} against a Pocketbus started
 * through the embedding facade: the official {@code pocketbase} npm SDK (installed by the Maven build with
 * {@code npm ci}) is the client.
 */
class PocketbaseSdkTest {
    private static final String EMAIL = "sdk-admin@example.com";
    private static final String PASSWORD = "sdk-password-123";

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkWorksAgainstPocketbus() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/pocketbase/package.json"))
                .as("the pocketbase SDK (installed by `npm ci` in the Maven build)").exists();

        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build()) {
            pocketbus.start();
            Collection superusers = pocketbus.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
            Record superuser = new Record(superusers);
            superuser.set("email", EMAIL);
            superuser.set("password", PASSWORD);
            pocketbus.app().save(superuser);

            NodeTestRunner.run("src/test/node/pocketbase-sdk.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url(),
                    "POCKETBUS_SU_EMAIL", EMAIL,
                    "POCKETBUS_SU_PASSWORD", PASSWORD));
        }
    }
}
