package io.pocketbus;

import io.pocketbus.broker.Broker;
import io.pocketbus.broker.BrokerBuilder;
import io.pocketbus.broker.ConfigFile;
import io.pocketbus.broker.JetStreamConfig;
import io.pocketbus.broker.SyncPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pocketbus broker}: the NATS broker alone, like {@code nats-server}. Flags override the configuration
 * file, as nats-server's do. SIGTERM/SIGINT put it in lame-duck mode, then shut it down.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs the NATS broker alone, like nats-server (127.0.0.1:4222 unless configured).")
final class BrokerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port for clients (default: 4222; -1 or 0 picks a free one).")
    private Integer port;

    @Option(names = {"-a", "--addr", "--net"}, paramLabel = "HOST", description = "Address to bind (default: 127.0.0.1).")
    private String addr;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A nats-server configuration file.")
    private Path config;

    @Option(names = {"-js", "--jetstream"}, description = "Enables JetStream.")
    private boolean jetStream;

    @Option(names = {"-sd", "--store", "--store_dir"}, paramLabel = "DIR",
            description = "JetStream store directory (enables JetStream; default: <tmp>/nats/jetstream).")
    private Path store;

    @Option(names = "--sync", paramLabel = "POLICY",
            description = "JetStream sync policy: write (default; written to the OS before the ack) or always "
                    + "(fsynced before the ack).")
    private String sync;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Broker broker;
        try {
            broker = builder(err).build().start();
        } catch (RuntimeException e) {
            // configuration errors (ConfigException names the file and line), ports in use, bad flags
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Entering lame duck mode, then shutting down");
            out.flush();
            broker.lameDuck();
            out.println("Server Exiting..");
            out.flush();
            stopped.countDown();
        }, "pocketbus-broker-shutdown"));
        out.printf("Listening for client connections on %s:%d%n", broker.host(), broker.port());
        broker.websocketPort().ifPresent(p -> out.printf("Listening for websocket clients on ws://%s:%d%n",
                broker.host(), p));
        broker.monitorPort().ifPresent(p -> out.printf("Starting http monitor on http://%s:%d%n", broker.host(), p));
        out.println("Server is ready");
        out.flush();
        stopped.await();
        return 0;
    }

    BrokerBuilder builder(PrintWriter err) {
        BrokerBuilder b = Broker.builder();
        if (config != null) {
            for (String warning : b.config(ConfigFile.load(config))) {
                err.println("Warning: " + warning);
            }
            err.flush();
        }
        Optional.ofNullable(addr).ifPresent(b::host);
        Optional.ofNullable(port).ifPresent(p -> b.port(p < 0 ? 0 : p));
        if (jetStream || store != null || sync != null) {
            b.jetStream(jetStreamConfig());
        }
        return b;
    }

    private JetStreamConfig jetStreamConfig() {
        Path dir = store != null ? store : Path.of(System.getProperty("java.io.tmpdir"), "nats", "jetstream");
        JetStreamConfig.Builder js = JetStreamConfig.storeDir(dir);
        if (sync != null) {
            js.syncPolicy(switch (sync.toLowerCase(Locale.ROOT)) {
                case "always" -> SyncPolicy.ALWAYS;
                case "write" -> SyncPolicy.WRITE;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--sync must be 'always' or 'write', not '" + sync + "'");
            });
        }
        return js.build();
    }
}
