package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/pocketbase-sdk-files.test.mjs} (uploads, downloads, thumbs, file tokens and batch
 * uploads of file fields) with {@code node --test} against a Pocketbus started through the embedding facade:
 * the official {@code pocketbase} npm SDK (installed by the Maven build with {@code npm ci}) is the client. Runs
 * on both storage backends: the data directory's storage/ and the embedded broker's Object Store.
 */
class PocketbaseSdkFilesTest {
    private static final String EMAIL = "sdk-admin@example.com";
    private static final String PASSWORD = "sdk-password-123";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"local", "objectstore"})
    void fileFieldsWorkThroughTheOfficialSdk(String backend) throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/pocketbase/package.json"))
                .as("the pocketbase SDK (installed by `npm ci` in the Maven build)").exists();

        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0")
                .nats("127.0.0.1:0").build()) {
            pocketbus.start();
            Collection superusers = pocketbus.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
            Record superuser = new Record(superusers);
            superuser.set("email", EMAIL);
            superuser.set("password", PASSWORD);
            pocketbus.app().save(superuser);

            NodeTestRunner.run("src/test/node/pocketbase-sdk-files.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url(),
                    "POCKETBUS_SU_EMAIL", EMAIL,
                    "POCKETBUS_SU_PASSWORD", PASSWORD,
                    "POCKETBUS_FILES_BACKEND", backend));
            Collection docs = pocketbus.app().findCollectionByNameOrId("docs").orElseThrow();
            FileStorage storage = pocketbus.app().files();
            List<String> stored = storage.list(docs.id());
            assertThat(stored).isNotEmpty();
            // the files are in the selected backend only
            boolean onDisk = Files.exists(dir.resolve("pb_data/storage").resolve(docs.id()));
            assertThat(onDisk).isEqualTo(backend.equals("local"));
            assertThat(storage == pocketbus.app().localFiles()).isEqualTo(backend.equals("local"));
        }
    }
}
