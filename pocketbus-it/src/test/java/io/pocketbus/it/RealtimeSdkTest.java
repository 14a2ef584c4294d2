package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.http.Realtime;
import java.nio.file.Path;
import java.util.Map;
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

            NodeTestRunner.run("src/test/node/realtime-sdk.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url(),
                    "POCKETBUS_DROP_URL", pocketbus.url() + DROP_PATH,
                    "POCKETBUS_SU_EMAIL", EMAIL,
                    "POCKETBUS_SU_PASSWORD", PASSWORD));
        }
    }
}
