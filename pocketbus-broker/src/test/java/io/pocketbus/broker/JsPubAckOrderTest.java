package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsPubAckOrderTest {
    private final JsRecordingOutput out = new JsRecordingOutput();
    private final JsPubAckOrder order = new JsPubAckOrder(out);

    /** The acks sent so far, checking each went to the reply subject of its publish. */
    private List<String> sent() {
        List<String> acks = new ArrayList<>();
        for (JsRecordingOutput.Sent s : out.sent) {
            assertThat(s.to()).isEqualTo("reply." + s.payload());
            acks.add(s.payload());
        }
        return acks;
    }

    private static byte[] ack(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void acksReadyOutOfOrderGoOutInPublishOrder() {
        MessageRouter publisher = new MessageRouter(null);
        JsPubAckOrder.Pending first = new JsPubAckOrder.Pending();
        order.published(publisher, first, "reply.first");
        // A refusal is ready at once, but must not overtake the ack still waiting for its fsync.
        JsPubAckOrder.Pending refused = new JsPubAckOrder.Pending();
        refused.accept(ack("refused"));
        order.published(publisher, refused, "reply.refused");
        JsPubAckOrder.Pending third = new JsPubAckOrder.Pending();
        order.published(publisher, third, "reply.third");
        assertThat(sent()).isEmpty();

        third.accept(ack("third"));
        assertThat(sent()).isEmpty();
        first.accept(ack("first"));
        assertThat(sent()).containsExactly("first", "refused", "third");

        // Nothing queued any more: a ready ack goes out at once.
        JsPubAckOrder.Pending next = new JsPubAckOrder.Pending();
        next.accept(ack("next"));
        order.published(publisher, next, "reply.next");
        assertThat(sent()).containsExactly("first", "refused", "third", "next");
    }

    @Test
    void publishersDoNotWaitForEachOther() {
        MessageRouter slow = new MessageRouter(null);
        MessageRouter fast = new MessageRouter(null);
        JsPubAckOrder.Pending waiting = new JsPubAckOrder.Pending();
        order.published(slow, waiting, "reply.slow");
        JsPubAckOrder.Pending ready = new JsPubAckOrder.Pending();
        ready.accept(ack("fast"));
        order.published(fast, ready, "reply.fast");
        assertThat(sent()).containsExactly("fast");
        waiting.accept(ack("slow"));
        assertThat(sent()).containsExactly("fast", "slow");
    }

    @Test
    void acksReleasedFromManyThreadsKeepTheOrder() throws InterruptedException {
        MessageRouter publisher = new MessageRouter(null);
        int n = 2_000;
        List<JsPubAckOrder.Pending> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsPubAckOrder.Pending p = new JsPubAckOrder.Pending();
            pending.add(p);
            order.published(publisher, p, "reply." + i);
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
        assertThat(sent()).containsExactlyElementsOf(expected);
    }
}
