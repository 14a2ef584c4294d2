package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports and imports declared in account JWTs (operator mode), seen from jnats with .creds files. */
class JwtAccountLinksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
    private final NKey exporter = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final NKey importer = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final String operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op", List.of(),
            Optional.empty()), operator);

    private Path creds(Path dir, NKey account, String name) throws Exception {
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        Path file = dir.resolve(name + ".creds");
        Files.writeString(file, new CredsFile(NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).name(name).build(),
                account), user.seed().orElseThrow()).render());
        return file;
    }

    private static Connection connect(Broker broker, Path creds) throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port())
                .authHandler(Nats.credentials(creds.toString())).maxReconnects(0).build());
    }

    @Test
    void streamAndServiceImportsOfAccountJwtsMapSubjects(@TempDir Path dir) throws Exception {
        String exporterJwt = NatsJwt.issue(JwtAccountClaims.builder(exporter.publicKey()).name("EXP")
                .exports(List.of(new JwtExport("feed", "feed.>", "stream", false, ""),
                        new JwtExport("private", "secret.>", "stream", true, ""),
                        new JwtExport("svc", "svc.*", "service", false, "Singleton"))).build(), operator);
        String importerJwt = NatsJwt.issue(JwtAccountClaims.builder(importer.publicKey()).name("IMP")
                .imports(List.of(
                        new JwtImport("mapped", "feed.*.done", exporter.publicKey(), "done.$1", "stream", ""),
                        new JwtImport("prefixed", "feed.raw", exporter.publicKey(), "", "stream", "", "old"),
                        new JwtImport("private", "secret.x", exporter.publicKey(), "", "stream", ""),
                        new JwtImport("svc", "svc.*", exporter.publicKey(), "ask.*", "service", "")))
                .build(), operator);
        OperatorAuthenticator auth = OperatorAuthenticator.builder().trustedOperator(operatorJwt)
                .resolver(JwtMemoryResolver.preloaded(List.of(exporterJwt, importerJwt))).build();
        try (Broker broker = Broker.builder().port(0).authenticator(auth).build().start();
                Connection imp = connect(broker, creds(dir, importer, "imp"));
                Connection exp = connect(broker, creds(dir, exporter, "exp"))) {
            Subscription all = imp.subscribe(">");
            exp.createDispatcher(m -> exp.publish(m.getReplyTo(), ("re " + m.getSubject()).getBytes(StandardCharsets.UTF_8)))
                    .subscribe("svc.*");
            imp.flush(WAIT);
            exp.flush(WAIT);

            exp.publish("feed.a.done", bytes("1"));
            exp.publish("feed.raw", bytes("2"));
            exp.publish("secret.x", bytes("3"));
            exp.publish("feed.a.started", bytes("4"));
            Message reply = imp.request("ask.time", bytes("?"), WAIT);

            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("re svc.time");
            List<String> seen = new ArrayList<>();
            for (Message m = all.nextMessage(WAIT); m != null; m = all.nextMessage(Duration.ofMillis(300))) {
                seen.add(m.getSubject());
            }
            assertThat(seen).as("no private or unimported message").hasSize(4)
                    .containsSubsequence("done.a", "old.feed.raw").contains("ask.time")
                    .anyMatch(subject -> subject.startsWith("_INBOX."));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
