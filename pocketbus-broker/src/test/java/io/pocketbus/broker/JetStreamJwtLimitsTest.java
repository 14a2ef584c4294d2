package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account JWT's JetStream limits replace the configured ones, before and after the account is used. */
class JetStreamJwtLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.shutdown();
        }
    }

    private Connection connect() throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                .connectionTimeout(TIMEOUT).build());
    }

    /** Generous: a cold JVM on a loaded machine answers its first requests slowly. */
    private static JetStreamManagement jsm(Connection nc) throws Exception {
        return nc.jetStreamManagement(JetStreamOptions.builder().requestTimeout(TIMEOUT).build());
    }

    private static StreamConfiguration stream(String name) {
        return StreamConfiguration.builder().name(name).subjects(name.toLowerCase() + ".>")
                .storageType(StorageType.Memory).build();
    }

    @Test
    void limitsAppliedToAnAccountInUseTakeEffectAtOnce() throws Exception {
        broker = Broker.builder().port(0).jetStream(JetStreamConfig.storeDir(dir).build()).build().start();
        try (Connection nc = connect()) {
            JetStreamManagement jsm = jsm(nc);
            jsm.addStream(stream("ONE"));
            broker.applyJetStreamLimits(Broker.GLOBAL_ACCOUNT, new JetStreamLimits(-1, -1, 1, -1));
            assertThatThrownBy(() -> jsm.addStream(stream("TWO")))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10027));
            assertThat(jsm.getAccountStatistics().getLimits().getMaxStreams()).isEqualTo(1);

            broker.applyJetStreamLimits(Broker.GLOBAL_ACCOUNT, new JetStreamLimits(4096, -1, 3, -1));
            jsm.addStream(stream("TWO"));
            StreamConfiguration big = StreamConfiguration.builder().name("BIG").subjects("big.>")
                    .storageType(StorageType.Memory).maxBytes(8192).build();
            assertThatThrownBy(() -> jsm.addStream(big))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10028));
        }
    }

    @Test
    void limitsAppliedBeforeTheAccountIsUsedReplaceTheConfiguredOnes() throws Exception {
        broker = Broker.builder().port(0).jetStream(JetStreamConfig.storeDir(dir)
                .defaultLimits(new JetStreamLimits(-1, -1, 5, -1)).build()).build().start();
        broker.applyJetStreamLimits(Broker.GLOBAL_ACCOUNT, new JetStreamLimits(-1, -1, 0, -1));
        try (Connection nc = connect()) {
            assertThat(jsm(nc).getAccountStatistics().getLimits().getMaxStreams()).isZero();
            assertThatThrownBy(() -> jsm(nc).addStream(stream("ONE")))
                    .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10027));
        }
    }

    @Test
    void theJetStreamPartOfAnAccountJwtsLimits() {
        JwtLimits jwt = JwtLimits.UNLIMITED.withJetStream(1024, 2048);
        assertThat(JetStreamLimits.of(jwt)).isEqualTo(new JetStreamLimits(1024, 2048, -1, -1));
    }
}
