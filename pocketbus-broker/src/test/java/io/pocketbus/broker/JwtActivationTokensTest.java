package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private exports ({@code token_req}) in operator mode: only an import carrying a valid activation token gets
 * the exported messages and requests. The same configuration file and JWTs run against our broker and, when
 * it is installed, Debian's nats-server, which settles that our activation tokens are the real thing.
 */
class JwtActivationTokensTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
    private final NKey exporter = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final NKey exporterSigner = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    /**
     * Importers: a valid token, an expired one, a revoked one, and one issued for another account (which makes
     * the whole account JWT invalid, as nats.jwt validates it).
     */
    private final Map<String, NKey> importers = new LinkedHashMap<>();

    JwtActivationTokensTest() {
        for (String name : List.of("activated", "expired", "revoked", "foreign")) {
            importers.put(name, NKey.create(NKey.Type.ACCOUNT, RANDOM));
        }
    }

    private String activation(NKey importer, String subject, String kind, NKey signer, Optional<String> issuerAccount,
            Clock clock, Optional<Instant> expires) {
        return NatsJwt.issue(JwtActivationClaims.of(importer.publicKey(), subject, kind, expires, issuerAccount),
                signer, clock);
    }

    /** Writes the configuration: the operator, and every account JWT preloaded in a memory resolver. */
    private Path config(Path dir, int port) throws IOException {
        Instant now = Instant.now();
        Clock past = Clock.fixed(now.minusSeconds(120), ZoneOffset.UTC);
        String exporterJwt = NatsJwt.issue(JwtAccountClaims.builder(exporter.publicKey()).name("EXP")
                .signingKeys(List.of(JwtSigningKey.unscoped(exporterSigner.publicKey())))
                .exports(List.of(
                        new JwtExport("news", "private.>", "stream", true, "", Map.of(
                                importers.get("revoked").publicKey(), now.plusSeconds(60))),
                        new JwtExport("time", "psvc.*", "service", true, ""),
                        new JwtExport("sentinel", "public.>", "stream", false, "")))
                .build(), operator);
        Map<String, String> accounts = new LinkedHashMap<>();
        accounts.put(exporter.publicKey(), exporterJwt);
        importers.forEach((name, key) -> {
            String token = switch (name) {
                case "activated" -> activation(key, "private.>", "stream", exporter, Optional.empty(),
                        Clock.systemUTC(), Optional.empty());
                case "foreign" -> activation(importers.get("activated"), "private.>", "stream", exporter,
                        Optional.empty(), Clock.systemUTC(), Optional.empty());
                case "expired" -> activation(key, "private.>", "stream", exporter, Optional.empty(), past,
                        Optional.of(now.minusSeconds(60)));
                default -> activation(key, "private.>", "stream", exporter, Optional.empty(), Clock.systemUTC(),
                        Optional.empty());
            };
            List<JwtImport> imports = new ArrayList<>(List.of(
                    new JwtImport("news", "private.news", exporter.publicKey(), "", "stream", token),
                    new JwtImport("sentinel", "public.done", exporter.publicKey(), "", "stream", "")));
            if (name.equals("activated")) {
                // a service activation issued by a signing key of the exporting account
                imports.add(new JwtImport("time", "psvc.time", exporter.publicKey(), "", "service",
                        activation(key, "psvc.*", "service", exporterSigner, Optional.of(exporter.publicKey()),
                                Clock.systemUTC(), Optional.empty())));
            }
            accounts.put(key.publicKey(), NatsJwt.issue(JwtAccountClaims.builder(key.publicKey()).name(name)
                    .imports(imports).build(), operator));
        });
        Files.writeString(dir.resolve("op.jwt"), NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op",
                List.of(), Optional.empty()), operator));
        StringBuilder preload = new StringBuilder();
        accounts.forEach((key, jwt) -> preload.append("  ").append(key).append(": ").append(jwt).append('\n'));
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                operator: "./op.jwt"
                resolver: MEMORY
                resolver_preload: {
                %s}
                """.formatted(port, preload));
        return config;
    }

    private Options.Builder options(int port, Path dir, NKey account) throws IOException {
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        Path creds = dir.resolve(user.publicKey() + ".creds");
        Files.writeString(creds, new CredsFile(NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), account),
                user.seed().orElseThrow()).render());
        // a connect (the first loads the signature code) may take long on a busy test machine
        return Options.builder().server("nats://127.0.0.1:" + port).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(30)).authHandler(Nats.credentials(creds.toString()));
    }

    /** What each importer sees of one private and one public message, and the activated importer's request. */
    private void onlyTheValidActivationImports(int port, Path dir) throws Exception {
        Map<String, Connection> connections = new LinkedHashMap<>();
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        try (Connection exp = Nats.connect(options(port, dir, exporter).build())) {
            Options foreign = options(port, dir, importers.get("foreign")).connectionTimeout(Duration.ofSeconds(2))
                    .build();
            assertThatThrownBy(() -> Nats.connect(foreign).close()).hasMessageContaining("Authorization Violation");
            for (Map.Entry<String, NKey> importer : importers.entrySet()) {
                if (importer.getKey().equals("foreign")) {
                    continue;
                }
                Connection nc = Nats.connect(options(port, dir, importer.getValue()).build());
                connections.put(importer.getKey(), nc);
                subscriptions.put(importer.getKey(), nc.subscribe(">"));
                nc.flush(WAIT);
            }
            exp.createDispatcher(m -> exp.publish(m.getReplyTo(), ("re " + m.getSubject()).getBytes(StandardCharsets.UTF_8)))
                    .subscribe("psvc.*");
            exp.flush(WAIT);
            exp.publish("private.news", "secret".getBytes(StandardCharsets.UTF_8));
            exp.publish("public.done", "sentinel".getBytes(StandardCharsets.UTF_8));
            exp.flush(WAIT);

            Map<String, List<String>> seen = new LinkedHashMap<>();
            for (Map.Entry<String, Subscription> s : subscriptions.entrySet()) {
                List<String> subjects = new ArrayList<>();
                // messages of one publisher keep their order: anything private arrives before the sentinel
                for (Message m = s.getValue().nextMessage(WAIT); m != null; m = s.getValue().nextMessage(WAIT)) {
                    subjects.add(m.getSubject());
                    if (m.getSubject().equals("public.done")) {
                        break;
                    }
                }
                seen.put(s.getKey(), subjects);
            }
            assertThat(seen).isEqualTo(Map.of(
                    "activated", List.of("private.news", "public.done"),
                    "expired", List.of("public.done"),
                    "revoked", List.of("public.done")));
            Message reply = connections.get("activated").request("psvc.time", new byte[0], WAIT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("re psvc.time");
        } finally {
            for (Connection c : connections.values()) {
                c.close();
            }
        }
    }

    @Test
    void onOurBroker(@TempDir Path dir) throws Exception {
        BrokerBuilder builder = Broker.builder();
        ConfigApplier.apply(ConfigFile.load(config(dir, 0), env -> Optional.empty()), builder);
        // nats-server's 2 s auth timeout is about the network, not about how busy the test machine is
        try (Broker broker = builder.authTimeout(Duration.ofSeconds(30)).build().start()) {
            onlyTheValidActivationImports(broker.port(), dir);
        }
    }

    @Test
    void anActivationEndsWhenItExpires(@TempDir Path dir) throws Exception {
        NKey importer = importers.get("activated");
        String exporterJwt = NatsJwt.issue(JwtAccountClaims.builder(exporter.publicKey()).exports(List.of(
                new JwtExport("news", "private.>", "stream", true, ""),
                new JwtExport("sentinel", "public.>", "stream", false, ""))).build(), operator);
        String token = activation(importer, "private.>", "stream", exporter, Optional.empty(), Clock.systemUTC(),
                // long enough for two connects on a busy test machine
                Optional.of(Instant.now().plusSeconds(8)));
        String importerJwt = NatsJwt.issue(JwtAccountClaims.builder(importer.publicKey()).imports(List.of(
                new JwtImport("news", "private.news", exporter.publicKey(), "", "stream", token),
                new JwtImport("sentinel", "public.done", exporter.publicKey(), "", "stream", ""))).build(), operator);
        OperatorAuthenticator auth = OperatorAuthenticator.builder().trustedOperator(NatsJwt.issue(
                JwtOperatorClaims.of(operator.publicKey(), "op", List.of(), Optional.empty()), operator))
                .resolver(JwtMemoryResolver.preloaded(List.of(exporterJwt, importerJwt))).build();
        try (Broker broker = Broker.builder().port(0).authTimeout(Duration.ofSeconds(30)).authenticator(auth).build()
                .start();
                Connection exp = Nats.connect(options(broker.port(), dir, exporter).build());
                Connection imp = Nats.connect(options(broker.port(), dir, importer).build())) {
            Subscription all = imp.subscribe(">");
            imp.flush(WAIT);
            assertThat(privateAndSentinel(exp, all)).containsExactly("private.news", "public.done");
            // once the token has expired, only the public sentinel still arrives
            Instant deadline = Instant.now().plusSeconds(30);
            List<String> seen;
            do {
                seen = privateAndSentinel(exp, all);
            } while (!seen.equals(List.of("public.done")) && Instant.now().isBefore(deadline));
            assertThat(seen).containsExactly("public.done");
        }
    }

    /** Publishes a private message and a public sentinel, and returns what arrived up to the sentinel. */
    private static List<String> privateAndSentinel(Connection exp, Subscription sub) throws Exception {
        exp.publish("private.news", "secret".getBytes(StandardCharsets.UTF_8));
        exp.publish("public.done", "sentinel".getBytes(StandardCharsets.UTF_8));
        exp.flush(WAIT);
        List<String> subjects = new ArrayList<>();
        for (Message m = sub.nextMessage(WAIT); m != null; m = sub.nextMessage(WAIT)) {
            subjects.add(m.getSubject());
            if (m.getSubject().equals("public.done")) {
                break;
            }
        }
        return subjects;
    }

    @Test
    void onNatsServer(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(NATS_SERVER.toString(), "-D", "-c", config(dir, port).toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
        try {
            awaitListening(server, port);
            onlyTheValidActivationImports(port, dir);
        } catch (Exception | AssertionError e) {
            throw new AssertionError("nats-server logged:\n" + Files.readString(dir.resolve("nats.log")), e);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitListening(Process p, int port) throws Exception {
        while (p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("nats-server exited");
    }
}
