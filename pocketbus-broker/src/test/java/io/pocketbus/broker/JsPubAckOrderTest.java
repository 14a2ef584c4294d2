package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class JsPubAckOrderTest {
    private final JsPubAckOrder order = new JsPubAckOrder();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final Consumer<byte[]> send = ack -> sent.add(new String(ack, UTF_8));

    private static byte[] ack(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void acksReadyOutOfOrderGoOutInPublishOrder() {
        Object publisher = new Object();
        JsPubAckOrder.Pending first = new JsPubAckOrder.Pending();
        order.published(publisher, first, send);
        // A refusal is ready at once, but must not overtake the ack still waiting for its fsync.
        JsPubAckOrder.Pending refused = new JsPubAckOrder.Pending();
        refused.accept(ack("refused"));
        order.published(publisher, refused, send);
        JsPubAckOrder.Pending third = new JsPubAckOrder.Pending();
        order.published(publisher, third, send);
        assertThat(sent).isEmpty();

        third.accept(ack("third"));
        assertThat(sent).isEmpty();
        first.accept(ack("first"));
        assertThat(sent).containsExactly("first", "refused", "third");

        // Nothing queued any more: a ready ack goes out at once.
        JsPubAckOrder.Pending next = new JsPubAckOrder.Pending();
        next.accept(ack("next"));
        order.published(publisher, next, send);
        assertThat(sent).containsExactly("first", "refused", "third", "next");
    }

    @Test
    void publishersDoNotWaitForEachOther() {
        Object slow = new Object();
        Object fast = new Object();
        JsPubAckOrder.Pending waiting = new JsPubAckOrder.Pending();
        order.published(slow, waiting, send);
        JsPubAckOrder.Pending ready = new JsPubAckOrder.Pending();
        ready.accept(ack("fast"));
        order.published(fast, ready, send);
        assertThat(sent).containsExactly("fast");
        waiting.accept(ack("slow"));
        assertThat(sent).containsExactly("fast", "slow");
    }

    @Test
    void acksReleasedFromManyThreadsKeepTheOrder() throws InterruptedException {
        Object publisher = new Object();
        int n = 2_000;
        List<JsPubAckOrder.Pending> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsPubAckOrder.Pending p = new JsPubAckOrder.Pending();
            pending.add(p);
            order.published(publisher, p, send);
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int from = t;
            // Each thread releases every fourth ack, from the last backwards.
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = n - 4 + from; i >= 0; i -= 4) {
                    pending.get(i).accept(ack(Integer.toString(i)));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(sent).containsExactlyElementsOf(expected);
    }
}
