package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker recovers its stored JetStream state (streams, durable consumers, KV buckets, in every account)
 * while it starts, not when the first client asks: right after {@link Broker#start()} the stores are
 * already open, which their directory locks show.
 */
class JetStreamStartupRecoveryTest {

    @TempDir
    Path dir;

    private Broker startBroker() {
        return Broker.builder().port(0).jetStream(JetStreamConfig.storeDir(dir).build()).build().start();
    }

    private static Connection connect(Broker broker) throws Exception {
        // Also the JetStream request timeout: a cold broker on a busy machine answers its first requests slowly.
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                .connectionTimeout(Duration.ofSeconds(10)).build());
    }

    private Path streamDir(String stream) {
        return dir.resolve(Broker.GLOBAL_ACCOUNT).resolve("streams").resolve(stream);
    }

    @Test
    void storedStreamsConsumersAndBucketsAreOpenBeforeAnyClientConnects() throws Exception {
        Broker first = startBroker();
        try (Connection nc = connect(first)) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.File).build());
            jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("billing").build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < 5; i++) {
                js.publish("orders.new", ("o" + i).getBytes(UTF_8));
            }
            var sub = js.subscribe(null, PullSubscribeOptions.bind("ORDERS", "billing"));
            for (Message m : sub.fetch(2, Duration.ofSeconds(2))) {
                m.ackSync(Duration.ofSeconds(2));
            }
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("settings")
                    .storageType(StorageType.File).build());
            nc.keyValue("settings").put("theme", "dark");
        } finally {
            first.shutdown();
        }

        Broker second = startBroker();
        try {
            // Still locked by the broker that just started, without a client having asked for anything.
            for (String stream : new String[] {"ORDERS", "KV_settings"}) {
                assertThatThrownBy(() -> FileStore.builder(streamDir(stream)).open())
                        .isInstanceOf(StoreException.class).hasMessageContaining("in use");
            }
            try (Connection nc = connect(second)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                assertThat(jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(5);
                assertThat(jsm.getConsumerInfo("ORDERS", "billing").getAckFloor().getStreamSequence()).isEqualTo(2);
                KeyValue kv = nc.keyValue("settings");
                assertThat(kv.get("theme").getValueAsString()).isEqualTo("dark");
            }
        } finally {
            second.shutdown();
        }
    }
}
