package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Options;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.FileField;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.FileUpload;
import io.pocketbus.core.Record;
import io.pocketbus.core.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Object Store backend on a real nats-server (Debian's, with JetStream): nodes, each with its own
 * connection, share files — what lets several Pocketbus nodes serve the same file fields.
 */
class ObjectStoreNatsServerTest {
    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");

    @TempDir
    Path dir;
    private Process server;
    private int port;

    @BeforeEach
    void startNatsServer() throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder(NATS_SERVER.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
                "-sd", dir.resolve("js").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nats-server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(server.isAlive()).as(Files.readString(dir.resolve("nats-server.log"))).isTrue();
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    @AfterEach
    void stopNatsServer() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Options options() {
        return Options.builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void pocketbusNodesOnTheSameNatsServeEachOthersFiles() throws Exception {
        try (Pocketbus nodeA = Pocketbus.builder().dataDir(dir.resolve("a")).http("127.0.0.1:0")
                .objectStoreNats(options()).build().start();
                Pocketbus nodeB = Pocketbus.builder().dataDir(dir.resolve("b")).http("127.0.0.1:0")
                        .objectStoreNats(options()).build().start()) {
            for (Pocketbus node : new Pocketbus[] {nodeA, nodeB}) {
                Settings settings = node.app().settings();
                settings.merge(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        "{\"objectStore\":{\"enabled\":true,\"bucket\":\"nodes\"}}"));
                node.app().saveSettings(settings);
            }
            // a record with a file created on node A only
            Collection docs = new Collection(CollectionType.BASE, "docs");
            docs.setId("pbc_shared_docs");
            docs.addField(new FileField("doc").setMaxSelect(1));
            nodeA.app().save(docs);
            byte[] content = "shared across nodes".getBytes(StandardCharsets.UTF_8);
            Record record = new Record(nodeA.app().findCollectionByNameOrId("docs").orElseThrow());
            FileUpload upload = FileUpload.of("shared.txt", content);
            record.attachUpload("doc", upload);
            record.set("doc", upload.storedName());
            nodeA.app().save(record);
            String key = "pbc_shared_docs/" + record.id() + "/" + record.getString("doc");
            assertThat(nodeB.app().files().read(key)).isEqualTo(content);
            assertThat(dir.resolve("a/storage")).doesNotExist();
        }
    }

    @Test
    void twoNodesShareTheBucket() {
        try (NatsObjectStorage nodeA = new NatsObjectStorage(this::options);
                NatsObjectStorage nodeB = new NatsObjectStorage(this::options)) {
            FileStorage a = nodeA.open("shared_files");
            FileStorage b = nodeB.open("shared_files");
            byte[] content = new byte[300_000];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) (i * 31);
            }
            a.write("col1/rec1/big_abcdefghij.bin", content, "application/octet-stream", Optional.of("big.bin"));
            a.write("col1/rec1/thumbs_x.png/10x10_x.png", "t".getBytes(StandardCharsets.UTF_8), "image/png",
                    Optional.empty());
            a.write("col1/rec2/other.txt", "o".getBytes(StandardCharsets.UTF_8), "text/plain", Optional.empty());

            assertThat(b.read("col1/rec1/big_abcdefghij.bin")).isEqualTo(content);
            FileStorage.Attributes attrs = b.attributes("col1/rec1/big_abcdefghij.bin").orElseThrow();
            assertThat(attrs.size()).isEqualTo(content.length);
            assertThat(attrs.contentType()).isEqualTo("application/octet-stream");
            assertThat(b.list("col1/rec1")).containsExactly("col1/rec1/big_abcdefghij.bin",
                    "col1/rec1/thumbs_x.png/10x10_x.png");

            b.deletePrefix("col1/rec1");
            assertThat(a.attributes("col1/rec1/big_abcdefghij.bin")).isEmpty();
            assertThat(a.listAll()).containsExactly("col1/rec2/other.txt");
            a.delete("col1/rec1/missing.txt");
        }
    }
}
