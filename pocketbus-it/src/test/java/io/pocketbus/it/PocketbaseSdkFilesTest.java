package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/pocketbase-sdk-files.test.mjs} (uploads, downloads, thumbs, file tokens and batch
 * uploads of file fields) with {@code node --test} against a Pocketbus started through the embedding facade:
 * the official {@code pocketbase} npm SDK (installed by the Maven build with {@code npm ci}) is the client.
 */
class PocketbaseSdkFilesTest {
    private static final String EMAIL = "sdk-admin@example.com";
    private static final String PASSWORD = "sdk-password-123";

    @TempDir
    Path dir;

    @Test
    void fileFieldsWorkThroughTheOfficialSdk() throws Exception {
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

            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec",
                    "src/test/node/pocketbase-sdk-files.test.mjs")
                    .directory(moduleDir.toFile())
                    .redirectErrorStream(true);
            node.environment().put("POCKETBUS_URL", pocketbus.url());
            node.environment().put("POCKETBUS_SU_EMAIL", EMAIL);
            node.environment().put("POCKETBUS_SU_PASSWORD", PASSWORD);
            node.environment().put("NO_COLOR", "1");
            Process process = node.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = output.get(1, TimeUnit.MINUTES);
            System.out.println(log);
            assertThat(finished).as("node --test finished in time:%n%s", log).isTrue();
            assertThat(process.exitValue()).as("node --test exit code; its output:%n%s", log).isZero();
        }
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "failed to read the node output: " + e;
        }
    }
}
