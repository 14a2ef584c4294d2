package io.pocketbus;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pocketbus serve}: runs the server until SIGTERM/SIGINT, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Starts the web server (default to 127.0.0.1:8090 if no address is given).")
final class ServeCommand implements Callable<Integer> {
    private static final DateTimeFormatter BANNER_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8090",
            description = "TCP address to listen for the HTTP server (default: ${DEFAULT-VALUE}).")
    private String http;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./pb_data",
            description = "The PocketBase data directory (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--dev", description = "Development mode: debug logging of the Pocketbus internals.")
    private boolean dev;

    @Option(names = "--origins", split = ",", paramLabel = "ORIGIN", defaultValue = "*",
            description = "CORS allowed domain origins list (default: ${DEFAULT-VALUE}).")
    private List<String> origins;

    @Option(names = "--nats", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:4222",
            description = "TCP address of the NATS broker, or 'off' (default: ${DEFAULT-VALUE}). NATS over "
                    + "WebSocket is served at /api/nats on the HTTP address too.")
    private String nats;

    @Option(names = "--nats-no-auth",
            description = "Let NATS clients connect without credentials, into one shared account (local development only).")
    private boolean natsNoAuth;

    @Option(names = "--nats-ws", paramLabel = "HOST:PORT",
            description = "Also serve NATS over WebSocket on its own listener (same host as --nats).")
    private String natsWebSocket;

    @Option(names = "--nats-monitor", paramLabel = "HOST:PORT",
            description = "Serve the NATS monitoring endpoints (/varz, /connz, …) on their own listener (same host "
                    + "as --nats); superusers reach them at /api/nats/monitor/ in any case.")
    private String natsMonitor;

    @Option(names = "--files-nats", paramLabel = "URL",
            description = "Keep file fields' Object Store (when the objectStore settings enable it) on this NATS server "
                    + "instead of the embedded broker, so several nodes share their files.")
    private String filesNats;

    @Option(names = "--files-nats-creds", paramLabel = "FILE", description = "The .creds file for --files-nats.")
    private Path filesNatsCreds;

    @Option(names = "--bus-url", paramLabel = "URL",
            description = "Scale-out: carry record events and realtime over this external NATS server or cluster "
                    + "(nats://host:port, several separated by commas), shared by every Pocketbus node.")
    private String busUrl;

    @Option(names = "--bus-creds", paramLabel = "FILE",
            description = "The .creds file to authenticate the --bus-url connection with.")
    private Path busCreds;

    @Option(names = "--nats-resolver-url", paramLabel = "URL",
            description = "Scale-out: the projects are served by this external nats-server (cluster) in operator mode "
                    + "with a full resolver; push every project account JWT to it on start and on every change "
                    + "(revocations close live connections there at once). Without --bus-creds, the --bus-url "
                    + "connection then authenticates as the app account.")
    private String natsResolverUrl;

    @Override
    public Integer call() throws InterruptedException {
        if (dev) {
            ((Logger) LoggerFactory.getLogger("io.pocketbus")).setLevel(Level.DEBUG);
        }
        PrintWriter out = spec.commandLine().getOut();
        Pocketbus pocketbus;
        try {
            Pocketbus.Builder builder = Pocketbus.builder().dataDir(dir).http(http).allowedOrigins(origins);
            if (busUrl != null) {
                builder.bus(busUrl);
                Optional.ofNullable(busCreds).ifPresent(builder::busCredentials);
            } else if (busCreds != null) {
                throw new IllegalArgumentException("--bus-creds needs --bus-url");
            }
            Optional.ofNullable(natsResolverUrl).ifPresent(builder::natsResolver);
            if (!nats.equalsIgnoreCase("off")) {
                builder.nats(nats).natsAuthorization(!natsNoAuth);
                Optional.ofNullable(natsWebSocket).ifPresent(builder::natsWebSocket);
                Optional.ofNullable(natsMonitor).ifPresent(builder::natsMonitor);
            } else if (natsWebSocket != null || natsMonitor != null) {
                throw new IllegalArgumentException("--nats-ws and --nats-monitor need the broker: --nats is off");
            }
            if (filesNats != null) {
                Options.Builder files = Options.builder().servers(filesNats.split(","))
                        .connectionName("pocketbus-files").maxReconnects(-1);
                Optional.ofNullable(filesNatsCreds).ifPresent(f -> files.authHandler(Nats.credentials(f.toString())));
                builder.objectStoreNats(files.build());
            } else if (filesNatsCreds != null) {
                throw new IllegalArgumentException("--files-nats-creds needs --files-nats");
            }
                        pocketbus = builder.build();
            pocketbus.start();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("Error: " + e.getMessage());
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Shutting down: finishing in-flight requests...");
            out.flush();
            pocketbus.stop();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }, "pocketbus-shutdown"));

        out.printf("%s Server started at %s%n", LocalDateTime.now().format(BANNER_TIME), pocketbus.url());
        out.printf("├─ REST API:  %s/api/%n", pocketbus.url());
        Optional.ofNullable(busUrl).ifPresent(url -> out.printf("├─ Bus:       %s%n", url));
        pocketbus.broker().ifPresentOrElse(broker -> {
            out.printf("├─ NATS:      nats://%s:%d%n", broker.host(), broker.port());
            broker.websocketPort().ifPresent(p -> out.printf("├─ NATS WS:   ws://%s:%d%n", broker.host(), p));
            broker.monitorPort().ifPresent(p -> out.printf("├─ NATS monitor: http://%s:%d/varz%n", broker.host(), p));
            out.printf("└─ NATS over WebSocket: %s%s%n", pocketbus.url().replaceFirst("^http", "ws"),
                    Pocketbus.NATS_PATH);
        }, () -> out.println("└─ NATS:      off"));
        if (Superusers.count(pocketbus.app()) == 0) {
            out.println();
            out.println("No superuser exists yet. Create one with:");
            out.printf("  pocketbus superuser upsert EMAIL PASSWORD --dir %s%n", dir);
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
