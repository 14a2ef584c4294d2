package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SublistTest {

    private static Subscription sub(String subject) {
        return new Subscription(null, subject, null, subject, null);
    }

    private static Subscription queueSub(String subject, String queue) {
        return new Subscription(null, subject, queue, subject + "/" + queue, null);
    }

    private static List<String> plainSubjects(SublistResult r) {
        return Arrays.stream(r.plain).map(s -> s.subject).sorted().toList();
    }

    @Test
    void literalAndWildcardMatching() {
        Sublist s = new Sublist();
        for (String subject : List.of("foo.bar", "foo.*", "foo.>", ">", "*.bar", "foo.bar.baz", "*", "foo")) {
            s.insert(sub(subject));
        }
        assertThat(plainSubjects(s.match("foo.bar"))).containsExactlyInAnyOrder(">", "*.bar", "foo.*", "foo.>", "foo.bar");
        assertThat(plainSubjects(s.match("foo.bar.baz"))).containsExactlyInAnyOrder(">", "foo.>", "foo.bar.baz");
        assertThat(plainSubjects(s.match("foo"))).containsExactlyInAnyOrder("*", ">", "foo");
        assertThat(plainSubjects(s.match("baz.qux.x"))).containsExactlyInAnyOrder(">");
    }

    @Test
    void queueGroupsAreCollectedPerName() {
        Sublist s = new Sublist();
        s.insert(queueSub("work.*", "a"));
        s.insert(queueSub("work.one", "a"));
        s.insert(queueSub("work.>", "b"));
        SublistResult r = s.match("work.one");
        assertThat(r.plain).isEmpty();
        assertThat(r.queues.length).isEqualTo(2);
        assertThat(Arrays.stream(r.queues).mapToInt(q -> q.length).sorted().toArray()).containsExactly(1, 2);
    }

    @Test
    void cacheIsInvalidatedByInsertAndRemove() {
        Sublist s = new Sublist();
        Subscription literal = sub("a.b");
        s.insert(literal);
        assertThat(s.match("a.b").plain).hasSize(1);
        Subscription wildcard = sub("a.*");
        long before = s.generation();
        s.insert(wildcard);
        assertThat(s.generation()).isGreaterThan(before);
        assertThat(s.match("a.b").plain).hasSize(2);
        s.remove(literal);
        assertThat(s.match("a.b").plain).containsExactly(wildcard);
        s.remove(wildcard);
        assertThat(s.match("a.b").isEmpty()).isTrue();
        assertThat(s.count()).isZero();
        assertThat(s.remove(wildcard)).isFalse();
    }

    @Test
    void cacheStaysBounded() {
        Sublist s = new Sublist();
        s.insert(sub(">"));
        for (int i = 0; i < 5000; i++) {
            s.match("subject." + i);
        }
        assertThat(s.stats().cacheEntries()).isLessThanOrEqualTo(Sublist.CACHE_MAX);
        assertThat(s.match("subject.1").plain).hasSize(1);
    }

    @Test
    void ackSubjectsAreMatchedButNotCached() {
        Sublist s = new Sublist();
        Subscription acks = sub("$JS.ACK.>");
        s.insert(acks);
        s.match("a.b");
        assertThat(s.match("$JS.ACK.S.C.1.5.5.1700000000000000000.0").plain).containsExactly(acks);
        assertThat(s.match("$JS.ACK.S.C.1.6.6.1700000000000000000.0").plain).containsExactly(acks);
        assertThat(s.stats().cacheEntries()).isEqualTo(1);
        s.remove(acks);
        assertThat(s.match("$JS.ACK.S.C.1.5.5.1700000000000000000.0").isEmpty()).isTrue();
    }

    @Test
    void subjectValidation() {
        assertThat(Subjects.isValidSubject("foo.*.bar.>")).isTrue();
        assertThat(Subjects.isValidSubject("foo*.b>r")).isTrue();
        assertThat(Subjects.isValidSubject("foo.>.bar")).isFalse();
        assertThat(Subjects.isValidSubject("foo..bar")).isFalse();
        assertThat(Subjects.isValidSubject(".foo")).isFalse();
        assertThat(Subjects.isValidSubject("foo.")).isFalse();
        assertThat(Subjects.isValidSubject("fo o")).isFalse();
        assertThat(Subjects.isValidSubject("")).isFalse();
        assertThat(Subjects.isValidLiteralSubject("foo.bar")).isTrue();
        assertThat(Subjects.isValidLiteralSubject("foo.*")).isFalse();
        assertThat(Subjects.isValidLiteralSubject("foo.>")).isFalse();
        assertThat(Subjects.matches("foo.*", "foo.bar")).isTrue();
        assertThat(Subjects.matches("foo.*", "foo")).isFalse();
        assertThat(Subjects.matches("foo.>", "foo")).isFalse();
        assertThat(Subjects.matches("foo.>", "foo.a.b")).isTrue();
        assertThat(Subjects.isSubset(Subjects.tokens("foo.bar"), Subjects.tokens("foo.*"))).isTrue();
        assertThat(Subjects.isSubset(Subjects.tokens("foo.*"), Subjects.tokens("foo.>"))).isTrue();
        assertThat(Subjects.isSubset(Subjects.tokens("foo.>"), Subjects.tokens("foo.*"))).isFalse();
        assertThat(Subjects.overlaps(Subjects.tokens("foo.*"), Subjects.tokens("foo.hidden"))).isTrue();
        assertThat(Subjects.overlaps(Subjects.tokens("foo.*"), Subjects.tokens("bar.x"))).isFalse();
    }

    /**
     * Writers add and remove subscriptions while readers match: a reader must always see the stable
     * subscription, and after the writers finish every result must reflect the final trie (no stale cache).
     */
    @Test
    void concurrentSubscribeUnsubscribeAndMatch() throws Exception {
        Sublist s = new Sublist();
        Subscription stable = sub("load.>");
        s.insert(stable);
        int writers = 4;
        int readers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    Subscription a = sub("load." + (i % 50));
                    Subscription b = sub("load.*." + id);
                    s.insert(a);
                    s.insert(b);
                    s.match("load." + (i % 50));
                    s.remove(a);
                    s.remove(b);
                }
                return null;
            }));
        }
        for (int r = 0; r < readers; r++) {
            futures.add(pool.submit(() -> {
                go.await();
                while (running.get()) {
                    for (int i = 0; i < 50; i++) {
                        SublistResult res = s.match("load." + i);
                        assertThat(res.plain).contains(stable);
                        s.match("load." + i + ".0");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (int i = 0; i < writers; i++) {
            futures.get(i).get();
        }
        running.set(false);
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(s.count()).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            assertThat(s.match("load." + i).plain).containsExactly(stable);
            assertThat(s.match("load." + i + ".0").plain).containsExactly(stable);
        }
    }
}
