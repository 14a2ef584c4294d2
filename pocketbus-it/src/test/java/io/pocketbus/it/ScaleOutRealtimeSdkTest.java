package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pocketbus.Pocketbus;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out with the official {@code pocketbus} SDK: two Pocketbus nodes whose bus is one Debian
 * {@code nats-server}, the embedded broker off. A record written through node A reaches a realtime subscriber
 * of node B. Each node has its own data directory (two SQLite apps must not share one), with the same
 * collection: the event carries the record, so node B delivers it without reading its own database.
 */
class ScaleOutRealtimeSdkTest {
    private static final String EMAIL = "scale-admin@example.com";
    private static final String PASSWORD = "scale-password-123";

    @TempDir
    Path dir;

    @Test
    void aRecordCreatedOnOneNodeReachesARealtimeSubscriberOfAnother() throws Exception {
        assumeTrue(NatsServerProcess.installed(), "Debian's nats-server is not installed");
        assertThat(Path.of("").toAbsolutePath().resolve("node_modules/eventsource/package.json")).exists();
        try (NatsServerProcess nats = NatsServerProcess.start();
                Pocketbus nodeA = node("a", nats.url());
                Pocketbus nodeB = node("b", nats.url())) {
            NodeTestRunner.run("src/test/node/scale-out-sdk.test.mjs", Map.of(
                    "POCKETBUS_URL_A", nodeA.url(),
                    "POCKETBUS_URL_B", nodeB.url(),
                    "POCKETBUS_SU_EMAIL", EMAIL,
                    "POCKETBUS_SU_PASSWORD", PASSWORD));
        }
    }

    private Pocketbus node(String name, String busUrl) {
        Pocketbus node = Pocketbus.builder().dataDir(dir.resolve(name)).http("127.0.0.1:0").bus(busUrl).build()
                .start();
        Collection superusers = node.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
        Record superuser = new Record(superusers);
        superuser.set("email", EMAIL);
        superuser.set("password", PASSWORD);
        node.app().save(superuser);
        return node;
    }
}
