package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.http.Realtime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/realtime-sdk.test.mjs} with {@code node --test}: realtime with the official
 * {@code pocketbase} npm SDK against a Pocketbus started through the embedding facade. A test-only route
 * ends every realtime stream, so the SDK's reconnect can be observed.
 */
class RealtimeSdkTest {
    private static final String EMAIL = "rt-admin@example.com";
    private static final String PASSWORD = "rt-password-123";
    private static final String DROP_PATH = "/_test/realtime/drop";

    @TempDir
    Path dir;

    @Test
    void realtimeWorksWithTheOfficialSdk() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/eventsource/package.json")).exists();

        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build()) {
            pocketbus.onServe().bindFunc(e -> {
                e.router().post(DROP_PATH, r -> {
                    Realtime.of(r.app()).disconnectAll();
                    r.noContent(204);
                });
                e.next();
            });
            pocketbus.start();
            Collection superusers = pocketbus.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
            Record superuser = new Record(superusers);
            superuser.set("email", EMAIL);
            superuser.set("password", PASSWORD);
            pocketbus.app().save(superuser);
            Collection users = pocketbus.app().findCollectionByNameOrId("users").orElseThrow();
            for (String email : new String[] {"alice-rt@example.com", "bob-rt@example.com"}) {
                Record user = new Record(users);
                user.set("email", email);
                user.set("password", "realtime-pass-1");
                pocketbus.app().save(user);
            }

            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec",
                    "src/test/node/realtime-sdk.test.mjs")
                    .directory(moduleDir.toFile())
                    .redirectErrorStream(true);
            node.environment().put("POCKETBUS_URL", pocketbus.url());
            node.environment().put("POCKETBUS_DROP_URL", pocketbus.url() + DROP_PATH);
            node.environment().put("POCKETBUS_SU_EMAIL", EMAIL);
            node.environment().put("POCKETBUS_SU_PASSWORD", PASSWORD);
            node.environment().put("NO_COLOR", "1");
            Process process = node.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
            boolean finished = process.waitFor(3, TimeUnit.MINUTES);
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
