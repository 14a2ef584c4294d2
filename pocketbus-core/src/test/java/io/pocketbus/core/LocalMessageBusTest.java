package io.pocketbus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pocketbus.core.spi.MessageBus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalMessageBusTest {
    private final LocalMessageBus bus = LocalMessageBus.create();

    @AfterEach
    void close() {
        bus.close();
    }

    private static String[] t(String s) {
        return s.split("\\.", -1);
    }

    @Test
    void matchesNatsWildcards() {
        assertThat(LocalMessageBus.matches(t("a.b.c"), t("a.b.c"))).isTrue();
        assertThat(LocalMessageBus.matches(t("a.*.c"), t("a.b.c"))).isTrue();
        assertThat(LocalMessageBus.matches(t("a.*"), t("a.b.c"))).isFalse();
        assertThat(LocalMessageBus.matches(t("a.>"), t("a.b.c"))).isTrue();
        assertThat(LocalMessageBus.matches(t("a.>"), t("a"))).isFalse();
        assertThat(LocalMessageBus.matches(t(">"), t("a"))).isTrue();
        assertThat(LocalMessageBus.matches(t("a.b"), t("a.b.c"))).isFalse();
        assertThat(LocalMessageBus.matches(t("a.b.c"), t("a.b"))).isFalse();
        assertThat(LocalMessageBus.matches(t("*.*.c"), t("x.y.c"))).isTrue();
    }

    @Test
    void rejectsMalformedSubjects() {
        assertThatThrownBy(() -> bus.publish("a.*", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish("a..b", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.publish("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.subscribe("a.>.b", m -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.subscribe("a b", m -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deliversMatchingMessagesInOrderWithHeaders() throws InterruptedException {
        BlockingQueue<MessageBus.Message> got = new LinkedBlockingQueue<>();
        bus.subscribe("pb.records.*.create.>", got::add);
        bus.publish("pb.records.posts.update.1", bytes("skip"));
        for (int i = 0; i < 100; i++) {
            bus.publish("pb.records.posts.create." + i, bytes("m" + i), Map.of("k", "v" + i));
        }
        for (int i = 0; i < 100; i++) {
            MessageBus.Message m = got.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.subject()).isEqualTo("pb.records.posts.create." + i);
            assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
            assertThat(m.headers()).containsEntry("k", "v" + i);
        }
    }

    @Test
    void slowSubscriberNeitherBlocksThePublisherNorOthers() throws InterruptedException {
        LocalMessageBus small = LocalMessageBus.withPendingLimit(2);
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch slowStarted = new CountDownLatch(1);
            small.subscribe("x", m -> {
                slowStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            BlockingQueue<MessageBus.Message> fast = new LinkedBlockingQueue<>();
            small.subscribe("x", fast::add);
            small.publish("x", bytes("first"));
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) {
                small.publish("x", bytes("n" + i));
                // the fast subscriber keeps up, so its bounded queue never overflows
                assertThat(fast.poll(10, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(small.dropped()).isEqualTo(8);
            release.countDown();
        } finally {
            small.close();
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws InterruptedException {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MessageBus.Subscription a = bus.subscribe("s", m -> got.add("a"));
        bus.subscribe("s", m -> got.add("b"));
        a.unsubscribe();
        a.unsubscribe();
        bus.publish("s", bytes("1"));
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
        // a marker through the remaining subscription proves nothing else was queued before it
        bus.publish("s", bytes("2"));
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(new ArrayList<>(got)).isEmpty();
    }

    @Test
    void aFailingHandlerKeepsItsSubscription() throws InterruptedException {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        bus.subscribe("s", m -> {
            String text = new String(m.data(), StandardCharsets.UTF_8);
            if (text.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            got.add(text);
        });
        bus.publish("s", bytes("boom"));
        bus.publish("s", bytes("ok"));
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(List.copyOf(got)).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
