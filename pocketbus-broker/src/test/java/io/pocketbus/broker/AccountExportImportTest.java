package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.pocketbus.broker.AccountConfig.ResponseType;
import io.pocketbus.broker.AccountConfig.ServiceExport;
import io.pocketbus.broker.AccountConfig.ServiceImport;
import io.pocketbus.broker.AccountConfig.StreamExport;
import io.pocketbus.broker.AccountConfig.StreamImport;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stream and service exports/imports between accounts, seen from jnats. */
class AccountExportImportTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Broker broker;

    @BeforeAll
    static void start() {
        AccountConfig a = AccountConfig.named("A")
                .withStreamExport(new StreamExport("events.>", List.of()))
                .withServiceExport(new ServiceExport("svc.>", List.of("B"), ResponseType.SINGLETON));
        AccountConfig b = AccountConfig.named("B")
                .withStreamImport(new StreamImport("A", "events.>", Optional.of("fromA")))
                .withServiceImport(new ServiceImport("A", "svc.time", Optional.of("time")))
                .withServiceImport(new ServiceImport("A", "svc.echo.*", Optional.of("echo.*")));
        AccountConfig c = AccountConfig.named("C")
                .withServiceImport(new ServiceImport("A", "svc.time", Optional.of("time")));
        broker = Broker.builder().port(0)
                .authenticator(attempt -> new Grant(attempt.user().orElseThrow(), attempt.user().orElseThrow(),
                        Permissions.ALL, Optional.empty(), Optional.empty()))
                .account(a).account(b).account(c).build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    private static Connection connect(String account) throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port()).userInfo(account, "x")
                .build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void streamImportDeliversUnderThePrefixOnlyToTheImporter() throws Exception {
        try (Connection a = connect("A"); Connection b = connect("B"); Connection c = connect("C")) {
            Subscription inB = b.subscribe("fromA.events.>");
            Subscription plainInB = b.subscribe("events.>");
            Subscription inC = c.subscribe(">");
            b.flush(WAIT);
            c.flush(WAIT);
            a.publish("events.created", bytes("e1"));
            Message m = inB.nextMessage(WAIT);
            assertThat(m.getSubject()).isEqualTo("fromA.events.created");
            assertThat(text(m)).isEqualTo("e1");
            b.flush(WAIT);
            c.flush(WAIT);
            assertThat(plainInB.nextMessage(Duration.ofMillis(1))).isNull();
            assertThat(inC.nextMessage(Duration.ofMillis(1))).isNull();
        }
    }

    @Test
    void serviceImportCarriesRequestAndReply() throws Exception {
        try (Connection a = connect("A"); Connection b = connect("B")) {
            Dispatcher d = a.createDispatcher(m -> a.publish(m.getReplyTo(), bytes(m.getSubject() + "|" + m.getReplyTo())));
            d.subscribe("svc.time");
            d.subscribe("svc.echo.*");
            a.flush(WAIT);
            String reply = text(b.request("time", bytes("?"), WAIT));
            assertThat(reply).startsWith("svc.time|_R_.");
            assertThat(text(b.request("echo.hello", bytes("?"), WAIT))).startsWith("svc.echo.hello|_R_.");
        }
    }

    @Test
    void singletonServiceAllowsOneResponse() throws Exception {
        try (Connection a = connect("A"); Connection b = connect("B")) {
            Dispatcher d = a.createDispatcher(m -> {
                a.publish(m.getReplyTo(), bytes("one"));
                a.publish(m.getReplyTo(), bytes("two"));
            });
            d.subscribe("svc.time");
            a.flush(WAIT);
            Subscription inbox = b.subscribe("my.inbox");
            b.flush(WAIT);
            b.publish("time", "my.inbox", bytes("?"));
            assertThat(text(inbox.nextMessage(WAIT))).isEqualTo("one");
            a.flush(WAIT);
            b.flush(WAIT);
            assertThat(inbox.nextMessage(Duration.ofMillis(1))).isNull();
        }
    }

    @Test
    void importWithoutAPermittingExportIsNotWired() throws Exception {
        try (Connection a = connect("A"); Connection c = connect("C")) {
            Dispatcher d = a.createDispatcher(m -> a.publish(m.getReplyTo(), bytes("leak")));
            d.subscribe("svc.time");
            a.flush(WAIT);
            CompletableFuture<Message> f = c.request("time", bytes("?"));
            Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
            assertThat(t).isNotNull().isNotInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void accountsCanBeRedefinedAtRuntime() throws Exception {
        broker.defineAccount(AccountConfig.named("D").withStreamImport(new StreamImport("A", "events.d", Optional.empty())));
        try (Connection a = connect("A"); Connection d = connect("D")) {
            Subscription s = d.subscribe("events.d");
            d.flush(WAIT);
            a.publish("events.d", bytes("to D"));
            assertThat(text(s.nextMessage(WAIT))).isEqualTo("to D");
        }
    }

    @Test
    void subjectMappingFillsWildcardsInOrderOrByNumber() {
        assertThat(map("echo.*", "svc.echo.*", "echo.hi")).isEqualTo("svc.echo.hi");
        assertThat(map("a.>", "b.>", "a.x.y.z")).isEqualTo("b.x.y.z");
        assertThat(map("time", "svc.time", "time")).isEqualTo("svc.time");
        assertThat(map("a.m.*.*", "m.$2.$1", "a.m.p.q")).isEqualTo("m.q.p");
        assertThat(map("a.*.>", "x.{{wildcard(2)}}.{{ wildcard(1) }}", "a.p.q.r")).isEqualTo("x.q.r.p");
        assertThat(map("a.*", "lit", "a.z")).isEqualTo("lit");
        assertThat(SubjectMapping.isValid("a.*", "b.$2")).isFalse();
        assertThat(SubjectMapping.isValid("a", "b.*")).isFalse();
        assertThatThrownBy(() -> new AccountConfig.StreamImport("A", "a.*", Optional.empty(), Optional.of("b.*.*")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String map(String from, String to, String subject) {
        return SubjectMapping.of(from, to).apply(Subjects.tokens(subject));
    }
}
