package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.Broker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pocketbus broker}: flags and a nats-server configuration file make the broker jnats talks to. */
class BrokerCommandTest {

    private static Broker started(StringWriter err, String... args) {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs(args);
        return command.builder(new PrintWriter(err, true)).build().start();
    }

    @Test
    void flagsOverrideTheConfigurationFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, """
                port: 1
                prof_port: 6060
                authorization { token: "s3cr3t" }
                """);
        StringWriter err = new StringWriter();
        try (Broker broker = started(err, "--config", config.toString(), "--addr", "127.0.0.1", "--port", "0",
                "--jetstream", "--store", dir.resolve("js").toString(), "--sync", "always");
                Connection nc = Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                        .token("s3cr3t".toCharArray()).maxReconnects(0).connectionTimeout(Duration.ofSeconds(30))
                        .build())) {
            assertThat(err.toString()).contains("Warning: ").contains("prof_port");
            assertThat(nc.getServerInfo().isJetStreamAvailable()).isTrue();
            Subscription sub = nc.subscribe("hello");
            nc.flush(Duration.ofSeconds(10));
            nc.publish("hello", "world".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("world");
            assertThat(nc.jetStreamManagement().getAccountStatistics()).isNotNull();
        }
    }

    @Test
    void aBadConfigurationFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, "port: 4222\nbogus_option: 1\n");
        StringWriter err = new StringWriter();
        int exit = PocketbusCli.commandLine().setErr(new PrintWriter(err, true)).execute("broker", "--config",
                config.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("Error: ").contains("bogus_option");
    }
}
