package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.ObjectStore;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.pocketbus.bridge.Clients.Client;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.JetStreamConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JetStream, KV and Object Store of one project are invisible to another, and go with the project. */
class ProjectJetStreamJnatsTest {

    @TempDir
    Path dataDir;

    private ProjectAccounts accounts;
    private Broker broker;

    @BeforeEach
    void start() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir));
        accounts.provision("projecta", ProjectLimits.UNLIMITED);
        accounts.provision("projectb", ProjectLimits.UNLIMITED);
        broker = accounts.configure(Broker.builder().port(0).authTimeout(Clients.AUTH_TIMEOUT)
                .jetStream(JetStreamConfig.storeDir(dataDir.resolve("jetstream")).build())).build();
        accounts.attach(broker);
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.shutdown();
    }

    private Client member(String project) throws Exception {
        return Clients.connect(broker.port(), accounts.issueMemberCredentials(project, "alice", ProjectRole.MEMBER));
    }

    @Test
    void streamsKeyValueAndObjectsOfOneProjectAreInvisibleToAnother() throws Exception {
        try (Client a = member("projecta"); Client b = member("projectb")) {
            a.connection().jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS")
                    .subjects("orders.>").storageType(StorageType.File).build());
            a.connection().jetStream().publish("orders.new", "first".getBytes(StandardCharsets.UTF_8));
            a.connection().keyValueManagement().create(KeyValueConfiguration.builder().name("config")
                    .storageType(StorageType.File).build());
            KeyValue kvA = a.connection().keyValue("config");
            kvA.put("colour", "blue");
            a.connection().objectStoreManagement().create(ObjectStoreConfiguration.builder("files")
                    .storageType(StorageType.File).build());
            a.connection().objectStore("files").put("hello.txt", "hi".getBytes(StandardCharsets.UTF_8));

            assertThat(b.connection().jetStreamManagement().getStreamNames()).isEmpty();
            assertThatThrownBy(() -> b.connection().jetStreamManagement().getStreamInfo("ORDERS"))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10059));
            assertThat(b.connection().keyValueManagement().getBucketNames()).isEmpty();
            assertThat(b.connection().objectStoreManagement().getBucketNames()).isEmpty();

            b.connection().keyValueManagement().create(KeyValueConfiguration.builder().name("config")
                    .storageType(StorageType.File).build());
            KeyValue kvB = b.connection().keyValue("config");
            assertThat(kvB.get("colour")).isNull();
            kvB.put("colour", "red");
            assertThat(kvA.get("colour").getValueAsString()).isEqualTo("blue");
            assertThat(kvB.get("colour").getValueAsString()).isEqualTo("red");

            ObjectStore files = a.connection().objectStore("files");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            files.get("hello.txt", out);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi");
            assertThat(a.connection().jetStreamManagement().getStreamNames())
                    .containsExactlyInAnyOrder("ORDERS", "KV_config", "OBJ_files");
        }
    }

    @Test
    void removingAProjectDeletesItsStreams() throws Exception {
        try (Client a = member("projecta")) {
            a.connection().keyValueManagement().create(KeyValueConfiguration.builder().name("config")
                    .storageType(StorageType.File).build());
            a.connection().keyValue("config").put("k", "v");
        }
        String account = accounts.accountPublicKey("projecta").orElseThrow();
        Path streams = dataDir.resolve("jetstream").resolve(account).resolve("streams");
        assertThat(streams.resolve("KV_config")).isDirectory();
        // at its connection limit, the project's own streams are still deleted
        accounts.updateLimits("projecta", ProjectLimits.UNLIMITED.withMaxConnections(0));
        IssuedCredential service = accounts.createServiceCredential("projecta", "svc", CredentialScope.FULL, Optional.empty());

        accounts.remove("projecta");
        assertThat(streams.resolve("KV_config")).doesNotExist();
        assertThat(RawConnect.attempt(broker.port(), service)).startsWith("-ERR ");
    }
}
