package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StreamStore} must have. Subclasses say how to open a store; every test
 * here runs against the memory and the file store.
 */
abstract class StreamStoreContractTest {

    static final byte[] NO_HEADERS = new byte[0];
    static final byte[] HEADERS = "NATS/1.0\r\nNats-Msg-Id: 1\r\n\r\n".getBytes(UTF_8);

    private final List<StreamStore> opened = new ArrayList<>();
    final AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);

    /** Opens a store; {@code clock} is its wall clock unless the test asks for the real one. */
    abstract StreamStore create(StoreConfig config, boolean realClock);

    /** The bytes a message accounts for in this store type. */
    abstract long expectedSize(String subject, byte[] headers, byte[] payload);

    StreamStore open(StoreConfig config) {
        StreamStore s = create(config, false);
        opened.add(s);
        return s;
    }

    StreamStore open() {
        return open(StoreConfig.UNLIMITED);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(StreamStore::close);
    }

    long put(StreamStore s, String subject, String payload) {
        return s.store(subject, NO_HEADERS, payload.getBytes(UTF_8), clock.incrementAndGet());
    }

    static String body(StoredMsg m) {
        return new String(m.payload(), UTF_8);
    }

    @Test
    void storesAndLoadsBySequence() {
        StreamStore s = open();
        long ts = clock.get() + 5;
        assertThat(s.store("orders.new", HEADERS, "one".getBytes(UTF_8), ts)).isEqualTo(1);
        assertThat(put(s, "orders.paid", "two")).isEqualTo(2);

        StoredMsg m = s.loadMsg(1).orElseThrow();
        assertThat(m.subject()).isEqualTo("orders.new");
        assertThat(m.headers()).isEqualTo(HEADERS);
        assertThat(body(m)).isEqualTo("one");
        assertThat(m.seq()).isEqualTo(1);
        assertThat(m.timestamp()).isEqualTo(ts);
        assertThat(s.loadMsg(2).orElseThrow().headers()).isEmpty();
        assertThat(s.loadMsg(0)).isEmpty();
        assertThat(s.loadMsg(3)).isEmpty();
    }

    @Test
    void deferredStoreIsVisibleAtOnceAndReleasedWhenDurable() throws Exception {
        StreamStore s = open();
        StreamStore.Appended a = s.storeDeferred("orders.new", NO_HEADERS, "one".getBytes(UTF_8), clock.get());
        assertThat(a.seq()).isEqualTo(1);
        assertThat(body(s.loadMsg(1).orElseThrow())).isEqualTo("one");
        CompletableFuture<Optional<StoreException>> outcome = new CompletableFuture<>();
        s.whenDurable(a.ticket(), outcome::complete);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void freshStateIsZero() {
        StoreState st = open().state();
        assertThat(st).isEqualTo(new StoreState(0, 0, 0, 0, 0, 0, 0, 0, List.of()));
    }

    @Test
    void stateCountsMessagesBytesSubjectsAndTimes() {
        StreamStore s = open();
        long t1 = clock.incrementAndGet();
        s.store("a", HEADERS, "xx".getBytes(UTF_8), t1);
        put(s, "b", "yyy");
        long t3 = clock.incrementAndGet();
        s.store("a", NO_HEADERS, "z".getBytes(UTF_8), t3);

        StoreState st = s.state();
        assertThat(st.msgs()).isEqualTo(3);
        assertThat(st.bytes()).isEqualTo(expectedSize("a", HEADERS, "xx".getBytes(UTF_8))
                + expectedSize("b", NO_HEADERS, "yyy".getBytes(UTF_8))
                + expectedSize("a", NO_HEADERS, "z".getBytes(UTF_8)));
        assertThat(st.firstSeq()).isEqualTo(1);
        assertThat(st.firstTimestamp()).isEqualTo(t1);
        assertThat(st.lastSeq()).isEqualTo(3);
        assertThat(st.lastTimestamp()).isEqualTo(t3);
        assertThat(st.numSubjects()).isEqualTo(2);
        assertThat(st.numDeleted()).isZero();
        assertThat(s.fastState()).isEqualTo(st);
    }

    @Test
    void loadsLastMessageByLiteralAndWildcardFilter() {
        StreamStore s = open();
        put(s, "kv.a", "a1");
        put(s, "kv.b", "b1");
        put(s, "kv.a", "a2");
        put(s, "other.x", "x1");

        assertThat(body(s.loadLastMsg("kv.a").orElseThrow())).isEqualTo("a2");
        assertThat(body(s.loadLastMsg("kv.*").orElseThrow())).isEqualTo("a2");
        assertThat(body(s.loadLastMsg("kv.>").orElseThrow())).isEqualTo("a2");
        assertThat(body(s.loadLastMsg(">").orElseThrow())).isEqualTo("x1");
        assertThat(body(s.loadLastMsg("").orElseThrow())).isEqualTo("x1");
        assertThat(s.loadLastMsg("kv.c")).isEmpty();
        assertThat(s.loadLastMsg("nope.*")).isEmpty();

        s.removeMsg(3);
        assertThat(body(s.loadLastMsg("kv.a").orElseThrow())).isEqualTo("a1");
        assertThat(body(s.loadLastMsg("kv.*").orElseThrow())).isEqualTo("b1");
    }

    @Test
    void loadsNextMatchingMessageFromASequence() {
        StreamStore s = open();
        for (int i = 1; i <= 20; i++) {
            put(s, i % 3 == 0 ? "t.three" : i % 2 == 0 ? "t.even.x" : "u.odd", "m" + i);
        }
        s.removeMsg(6);
        assertThat(s.loadNextMsg("t.three", 1).orElseThrow().seq()).isEqualTo(3);
        assertThat(s.loadNextMsg("t.three", 4).orElseThrow().seq()).isEqualTo(9);
        assertThat(s.loadNextMsg("t.>", 5).orElseThrow().seq()).isEqualTo(8);
        assertThat(s.loadNextMsg("*.odd", 2).orElseThrow().seq()).isEqualTo(5);
        assertThat(s.loadNextMsg("t.*", 7).orElseThrow().seq()).isEqualTo(9);
        assertThat(s.loadNextMsg("t.*.x", 7).orElseThrow().seq()).isEqualTo(8);
        assertThat(s.loadNextMsg(">", 6).orElseThrow().seq()).isEqualTo(7);
        assertThat(s.loadNextMsg("", 0).orElseThrow().seq()).isEqualTo(1);
        assertThat(s.loadNextMsg("t.three", 19)).isEmpty();
        assertThat(s.loadNextMsg(">", 21)).isEmpty();
        assertThat(s.loadNextMsg("none", 1)).isEmpty();
    }

    @Test
    void findsWildcardMatchesFarAhead() {
        StreamStore s = open();
        put(s, "sig.a", "first");
        for (int i = 0; i < 300; i++) {
            put(s, "noise." + (i % 7), "n");
        }
        put(s, "sig.a", "second");
        put(s, "sig.b", "third");
        assertThat(s.loadNextMsg("sig.*", 1).orElseThrow().seq()).isEqualTo(1);
        // sig.a began before the start, so its next message has to be searched for.
        assertThat(s.loadNextMsg("sig.*", 2).orElseThrow().seq()).isEqualTo(302);
        assertThat(s.loadNextMsg("sig.>", 303).orElseThrow().seq()).isEqualTo(303);
        assertThat(s.loadNextMsg(List.of("sig.b", "x.*"), 2).orElseThrow().seq()).isEqualTo(303);
        assertThat(s.loadNextMsg("none.*", 1)).isEmpty();
        s.removeMsg(302);
        assertThat(s.loadNextMsg("sig.*", 2).orElseThrow().seq()).isEqualTo(303);
    }

    @Test
    void multipleFiltersSelectTheUnionOnce() {
        StreamStore s = open();
        for (int i = 1; i <= 12; i++) {
            put(s, i % 3 == 0 ? "a.x" : i % 3 == 1 ? "b.y" : "c.z", "m" + i);
        }
        assertThat(s.loadNextMsg(List.of("a.x", "c.*"), 1).orElseThrow().seq()).isEqualTo(2);
        assertThat(s.loadNextMsg(List.of("a.x", "c.*"), 6).orElseThrow().seq()).isEqualTo(6);
        assertThat(s.loadNextMsg(List.of("a.*", "a.x"), 4).orElseThrow().seq()).isEqualTo(6);
        assertThat(s.loadNextMsg(List.of(), 5).orElseThrow().seq()).isEqualTo(5);
        assertThat(s.loadNextMsg(List.of("a.x", "b.y"), 13)).isEmpty();
        assertThat(s.numPending(1, List.of("a.x", "a.*"), false)).isEqualTo(4);
        assertThat(s.numPending(7, List.of("a.x", "b.y"), false)).isEqualTo(4);
        assertThat(s.numPending(1, List.of("a.x", "b.y"), true)).isEqualTo(2);
        assertThat(s.numPending(1, List.of(), false)).isEqualTo(12);
    }

    @Test
    void wildcardFiltersFollowTokenRules() {
        StreamStore s = open();
        put(s, "a.b.c", "1");
        put(s, "a.b", "2");
        put(s, "a", "3");
        put(s, "ab.b", "4");
        assertThat(s.subjectsTotals("a.*")).containsOnlyKeys("a.b");
        assertThat(s.subjectsTotals("a.>")).containsOnlyKeys("a.b", "a.b.c");
        assertThat(s.subjectsTotals("*.b")).containsOnlyKeys("a.b", "ab.b");
        assertThat(s.subjectsTotals("*")).containsOnlyKeys("a");
        assertThat(s.subjectsTotals("a.*.c")).containsOnlyKeys("a.b.c");
        assertThat(s.subjectsTotals(">")).hasSize(4);
    }

    @Test
    void removedInteriorMessagesAreDeletedGaps() {
        StreamStore s = open();
        for (int i = 0; i < 10; i++) {
            put(s, "s", "m" + i);
        }
        assertThat(s.removeMsg(4)).isTrue();
        assertThat(s.eraseMsg(7)).isTrue();
        assertThat(s.removeMsg(4)).isFalse();
        assertThat(s.removeMsg(99)).isFalse();
        assertThat(s.loadMsg(4)).isEmpty();
        assertThat(s.loadMsg(7)).isEmpty();

        StoreState st = s.state();
        assertThat(st.msgs()).isEqualTo(8);
        assertThat(st.numDeleted()).isEqualTo(2);
        assertThat(st.deleted()).containsExactly(4L, 7L);
        assertThat(s.fastState().deleted()).isEmpty();
        assertThat(s.fastState().numDeleted()).isEqualTo(2);
    }

    @Test
    void removingTheEndsMovesFirstButKeepsLast() {
        StreamStore s = open();
        put(s, "a", "1");
        put(s, "a", "2");
        long t3 = clock.get() + 1;
        put(s, "a", "3");
        s.removeMsg(1);
        s.removeMsg(3);
        StoreState st = s.state();
        assertThat(st.firstSeq()).isEqualTo(2);
        assertThat(st.lastSeq()).isEqualTo(3);
        assertThat(st.lastTimestamp()).isEqualTo(t3);
        assertThat(st.deleted()).containsExactly(3L);
        s.removeMsg(2);
        st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.firstSeq()).isEqualTo(4);
        assertThat(st.lastSeq()).isEqualTo(3);
        assertThat(put(s, "a", "4")).isEqualTo(4);
    }

    @Test
    void purgeRemovesEverythingAndKeepsTheSequence() {
        StreamStore s = open();
        for (int i = 0; i < 5; i++) {
            put(s, "p." + i, "x");
        }
        assertThat(s.purge()).isEqualTo(5);
        StoreState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.bytes()).isZero();
        assertThat(st.firstSeq()).isEqualTo(6);
        assertThat(st.lastSeq()).isEqualTo(5);
        assertThat(st.numSubjects()).isZero();
        assertThat(s.loadLastMsg(">")).isEmpty();
        assertThat(put(s, "p.0", "again")).isEqualTo(6);
        assertThat(s.purge()).isEqualTo(1);
        assertThat(s.purge()).isZero();
    }

    @Test
    void purgeBySubjectKeepAndSequence() {
        StreamStore s = open();
        for (int i = 1; i <= 12; i++) {
            put(s, i % 2 == 0 ? "even" : "odd." + (i % 3), "m" + i);
        }
        assertThat(s.purge("even", 0, 2)).isEqualTo(4);
        assertThat(s.subjectsState("even")).containsEntry("even", new StoreSubjectState(2, 10, 12));
        assertThat(s.purge("odd.*", 6, 0)).isEqualTo(3);
        assertThat(s.subjectsTotals("odd.*").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(s.purge("odd.>", 0, 5)).isZero();
        assertThat(s.purge("odd.>", 0, 0)).isEqualTo(3);
        assertThat(s.state().msgs()).isEqualTo(2);
        assertThat(s.purge("missing", 0, 0)).isZero();
    }

    @Test
    void purgeAllWithKeepOrSequenceCompacts() {
        StreamStore s = open();
        for (int i = 1; i <= 10; i++) {
            put(s, "x", "m" + i);
        }
        assertThat(s.purge(">", 4, 0)).isEqualTo(3);
        assertThat(s.state().firstSeq()).isEqualTo(4);
        assertThat(s.purge("", 0, 2)).isEqualTo(5);
        assertThat(s.state().firstSeq()).isEqualTo(9);
        assertThat(s.purge(">", 0, 5)).isZero();
    }

    @Test
    void compactRemovesBelowASequence() {
        StreamStore s = open();
        for (int i = 1; i <= 10; i++) {
            put(s, "c." + (i % 2), "m" + i);
        }
        s.removeMsg(8);
        assertThat(s.compact(5)).isEqualTo(4);
        StoreState st = s.state();
        assertThat(st.firstSeq()).isEqualTo(5);
        assertThat(st.msgs()).isEqualTo(5);
        assertThat(st.deleted()).containsExactly(8L);
        assertThat(s.compact(3)).isZero();
        assertThat(s.compact(20)).isEqualTo(5);
        st = s.state();
        assertThat(st.firstSeq()).isEqualTo(20);
        assertThat(st.lastSeq()).isEqualTo(19);
        assertThat(put(s, "c.0", "next")).isEqualTo(20);
    }

    @Test
    void skippedSequencesLeaveGaps() {
        StreamStore s = open();
        assertThat(s.skipMsg()).isEqualTo(1);
        StoreState st = s.state();
        assertThat(st.firstSeq()).isEqualTo(2);
        assertThat(st.lastSeq()).isEqualTo(1);
        assertThat(put(s, "m", "2")).isEqualTo(2);
        s.skipMsgs(3, 5);
        assertThat(put(s, "m", "8")).isEqualTo(8);
        st = s.state();
        assertThat(st.msgs()).isEqualTo(2);
        assertThat(st.deleted()).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThatThrownBy(() -> s.skipMsgs(20, 1)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.SEQUENCE_MISMATCH));
    }

    @Test
    void perSubjectStateFollowsRemovals() {
        StreamStore s = open();
        for (int i = 1; i <= 9; i++) {
            put(s, "kv." + (char) ('a' + i % 3), "v" + i);
        }
        assertThat(s.subjectsState("kv.*")).containsExactly(
                Map.entry("kv.a", new StoreSubjectState(3, 3, 9)),
                Map.entry("kv.b", new StoreSubjectState(3, 1, 7)),
                Map.entry("kv.c", new StoreSubjectState(3, 2, 8)));
        s.removeMsg(1);
        s.removeMsg(8);
        s.removeMsg(6);
        assertThat(s.subjectsState(">")).containsExactly(
                Map.entry("kv.a", new StoreSubjectState(2, 3, 9)),
                Map.entry("kv.b", new StoreSubjectState(2, 4, 7)),
                Map.entry("kv.c", new StoreSubjectState(2, 2, 5)));
        s.removeMsg(3);
        s.removeMsg(9);
        assertThat(s.subjectsState("kv.a")).isEmpty();
        assertThat(s.subjectsTotals("")).containsExactly(Map.entry("kv.b", 2L), Map.entry("kv.c", 2L));
        assertThat(s.state().numSubjects()).isEqualTo(2);
    }

    @Test
    void multiLastSeqsListsEachSubjectsNewest() {
        StreamStore s = open();
        for (int i = 1; i <= 10; i++) {
            put(s, "$KV.b." + (char) ('a' + i % 4), "v" + i);
        }
        put(s, "other", "x");
        s.removeMsg(8);
        assertThat(s.multiLastSeqs(List.of("$KV.b.>"))).containsExactly(4L, 7L, 9L, 10L);
        assertThat(s.multiLastSeqs(List.of("$KV.b.a", "$KV.b.b"))).containsExactly(4L, 9L);
        assertThat(s.multiLastSeqs(List.of())).containsExactly(4L, 7L, 9L, 10L, 11L);
        assertThat(s.multiLastSeqs(List.of("none"))).isEmpty();
    }

    @Test
    void filteredStateAndPendingCounts() {
        StreamStore s = open();
        for (int i = 1; i <= 30; i++) {
            put(s, "ev." + (i % 3) + ".x", "m" + i);
        }
        s.removeMsg(12);
        assertThat(s.filteredState(1, "ev.0.x")).isEqualTo(new StoreSubjectState(9, 3, 30));
        assertThat(s.filteredState(13, "ev.0.x")).isEqualTo(new StoreSubjectState(6, 15, 30));
        assertThat(s.filteredState(13, "ev.*.x")).isEqualTo(new StoreSubjectState(18, 13, 30));
        assertThat(s.filteredState(10, ">")).isEqualTo(new StoreSubjectState(20, 10, 30));
        assertThat(s.filteredState(31, ">")).isEqualTo(StoreSubjectState.EMPTY);
        assertThat(s.filteredState(1, "nope")).isEqualTo(StoreSubjectState.EMPTY);
        assertThat(s.numPending(1, ">", false)).isEqualTo(29);
        assertThat(s.numPending(25, "ev.1.*", false)).isEqualTo(2);
        assertThat(s.numPending(1, ">", true)).isEqualTo(3);
        assertThat(s.numPending(30, ">", true)).isEqualTo(1);
        assertThat(s.numPending(1, "ev.2.x", true)).isEqualTo(1);
    }

    @Test
    void findsTheSequenceAtATime() {
        StreamStore s = open();
        for (int i = 1; i <= 10; i++) {
            s.store("t", NO_HEADERS, new byte[1], i * 100L);
        }
        s.removeMsg(5);
        assertThat(s.sequenceAt(0)).isEqualTo(1);
        assertThat(s.sequenceAt(350)).isEqualTo(4);
        assertThat(s.sequenceAt(450)).isEqualTo(6);
        assertThat(s.sequenceAt(1000)).isEqualTo(10);
        assertThat(s.sequenceAt(1001)).isEqualTo(11);
    }

    @Test
    void maxMsgsDiscardsOldest() {
        List<long[]> removals = Collections.synchronizedList(new ArrayList<>());
        StreamStore s = open(StoreConfig.builder().maxMsgs(3).build());
        s.addListener((m, b, seq, subj) -> {
            if (m < 0) {
                removals.add(new long[] {m, seq});
            }
        });
        for (int i = 1; i <= 5; i++) {
            put(s, "lim", "m" + i);
        }
        StoreState st = s.state();
        assertThat(st.msgs()).isEqualTo(3);
        assertThat(st.firstSeq()).isEqualTo(3);
        assertThat(removals).extracting(r -> r[1]).containsExactly(1L, 2L);
    }

    @Test
    void maxBytesDiscardsOldest() {
        long one = expectedSize("b", NO_HEADERS, new byte[100]);
        StreamStore s = open(StoreConfig.builder().maxBytes(one * 2 + one / 2).build());
        for (int i = 0; i < 4; i++) {
            s.store("b", NO_HEADERS, new byte[100], clock.incrementAndGet());
        }
        StoreState st = s.state();
        assertThat(st.msgs()).isEqualTo(2);
        assertThat(st.bytes()).isEqualTo(one * 2);
        assertThat(st.firstSeq()).isEqualTo(3);
    }

    @Test
    void maxMsgsPerSubjectKeepsTheNewestOfEachSubject() {
        StreamStore s = open(StoreConfig.builder().maxMsgsPerSubject(2).build());
        for (int i = 1; i <= 9; i++) {
            put(s, "kv." + (i % 3), "v" + i);
        }
        assertThat(s.state().msgs()).isEqualTo(6);
        assertThat(s.subjectsState(">")).containsExactly(
                Map.entry("kv.0", new StoreSubjectState(2, 6, 9)),
                Map.entry("kv.1", new StoreSubjectState(2, 4, 7)),
                Map.entry("kv.2", new StoreSubjectState(2, 5, 8)));
        assertThat(s.state().deleted()).isEmpty();
    }

    @Test
    void discardNewRefusesOverTheLimits() {
        StreamStore s = open(StoreConfig.builder().maxMsgs(2).discard(StoreConfig.Discard.NEW).build());
        put(s, "n", "1");
        put(s, "n", "2");
        assertThatThrownBy(() -> put(s, "n", "3")).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.MAX_MSGS);
            assertThat(e.getMessage()).isEqualTo("maximum messages exceeded");
        });
        assertThat(s.state().lastSeq()).isEqualTo(2);

        long one = expectedSize("n", NO_HEADERS, new byte[10]);
        StreamStore b = open(StoreConfig.builder().maxBytes(one * 2 + 1).discard(StoreConfig.Discard.NEW).build());
        b.store("n", NO_HEADERS, new byte[10], 1);
        b.store("n", NO_HEADERS, new byte[10], 2);
        assertThatThrownBy(() -> b.store("n", NO_HEADERS, new byte[10], 3))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.MAX_BYTES));
        assertThat(b.state().msgs()).isEqualTo(2);
    }

    @Test
    void discardNewPerSubjectRefusesAFullSubject() {
        StreamStore s = open(StoreConfig.builder().maxMsgsPerSubject(1).discard(StoreConfig.Discard.NEW)
                .discardNewPerSubject(true).build());
        put(s, "k.a", "1");
        put(s, "k.b", "1");
        assertThatThrownBy(() -> put(s, "k.a", "2")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.MAX_MSGS_PER_SUBJECT));
        assertThat(s.state().msgs()).isEqualTo(2);
    }

    @Test
    void discardNewWithoutPerSubjectReplacesASubjectsOldest() {
        StreamStore s = open(StoreConfig.builder().maxMsgs(2).maxMsgsPerSubject(1)
                .discard(StoreConfig.Discard.NEW).build());
        put(s, "k.a", "1");
        put(s, "k.b", "1");
        assertThat(put(s, "k.a", "2")).isEqualTo(3);
        assertThat(s.state().msgs()).isEqualTo(2);
        assertThatThrownBy(() -> put(s, "k.c", "1")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.MAX_MSGS));
    }

    @Test
    void updateConfigEnforcesLoweredLimitsAtOnce() {
        StreamStore s = open();
        for (int i = 1; i <= 10; i++) {
            put(s, "u." + (i % 2), "m" + i);
        }
        s.updateConfig(StoreConfig.builder().maxMsgsPerSubject(3).build());
        assertThat(s.state().msgs()).isEqualTo(6);
        s.updateConfig(StoreConfig.builder().maxMsgsPerSubject(3).maxMsgs(2).build());
        StoreState st = s.state();
        assertThat(st.msgs()).isEqualTo(2);
        assertThat(st.firstSeq()).isEqualTo(9);
        assertThat(s.config().maxMsgs()).isEqualTo(2);
    }

    @Test
    void maxAgeExpiresMessagesOnItsOwn() throws Exception {
        StreamStore s = create(StoreConfig.builder().maxAge(Duration.ofMillis(150)).build(), true);
        opened.add(s);
        CountDownLatch expired = new CountDownLatch(3);
        s.addListener((m, b, seq, subj) -> {
            if (m < 0) {
                expired.countDown();
            }
        });
        for (int i = 0; i < 3; i++) {
            s.store("age", NO_HEADERS, new byte[1], MemoryStore.now());
        }
        assertThat(expired.await(10, TimeUnit.SECONDS)).isTrue();
        StoreState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.firstSeq()).isEqualTo(4);
    }

    @Test
    void updateConfigExpiresOldMessages() {
        StreamStore s = open();
        long now = clock.get();
        s.store("old", NO_HEADERS, new byte[1], now - Duration.ofHours(2).toNanos());
        s.store("new", NO_HEADERS, new byte[1], now);
        s.updateConfig(StoreConfig.builder().maxAge(Duration.ofHours(1)).build());
        assertThat(s.state().firstSeq()).isEqualTo(2);
        assertThat(s.state().msgs()).isEqualTo(1);
    }

    @Test
    void listenersSeeStoresRemovalsAndPurges() {
        StreamStore s = open();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        s.addListener((m, b, seq, subj) -> seen.add(m + ":" + seq + ":" + subj + ":" + (b > 0 ? "+" : "-")));
        put(s, "x", "1");
        put(s, "y", "2");
        put(s, "z", "3");
        s.removeMsg(2);
        s.purge();
        assertThat(seen).containsExactly("1:1:x:+", "1:2:y:+", "1:3:z:+", "-1:2:y:-", "-2:0::-");
    }

    @Test
    void largePayloadsRoundTrip() {
        StreamStore s = open();
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        put(s, "small", "s");
        long seq = s.store("big", HEADERS, big, clock.incrementAndGet());
        put(s, "small", "t");
        StoredMsg m = s.loadMsg(seq).orElseThrow();
        assertThat(m.payload()).isEqualTo(big);
        assertThat(m.headers()).isEqualTo(HEADERS);
        assertThat(body(s.loadMsg(seq + 1).orElseThrow())).isEqualTo("t");
    }

    @Test
    void concurrentWritersGetContiguousSequences() throws Exception {
        StreamStore s = open();
        int threads = 4;
        int each = 250;
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < each; i++) {
                    seqs.add(put(s, "w." + id, id + ":" + i));
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(seqs).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(s.state().lastSeq()).isEqualTo(threads * each);
        assertThat(s.state().msgs()).isEqualTo(threads * each);
    }

    @Test
    void syncKeepsTheStoreUsableAndDeleteClosesIt() {
        StreamStore s = open();
        put(s, "y", "1");
        s.sync();
        assertThat(s.type()).isIn(StreamStore.Type.MEMORY, StreamStore.Type.FILE);
        assertThat(body(s.loadMsg(1).orElseThrow())).isEqualTo("1");
        s.delete();
        assertThatThrownBy(s::state).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CLOSED));
    }

    @Test
    void closedStoreRefusesCalls() {
        StreamStore s = open();
        put(s, "c", "1");
        s.close();
        assertThatThrownBy(() -> put(s, "c", "2")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CLOSED));
        assertThatThrownBy(() -> s.loadMsg(1)).isInstanceOf(StoreException.class);
    }

    @Test
    void consumerStoreTracksDeliveriesAndExplicitAcks() {
        StreamStore s = open();
        ConsumerStore c = s.consumerStore("dur", ConsumerStore.AckMode.EXPLICIT);
        for (long i = 1; i <= 4; i++) {
            c.updateDelivered(i, i * 10, 1, 1000 + i);
        }
        c.updateDelivered(5, 20, 2, 2000);
        ConsumerState st = c.state();
        assertThat(st.delivered()).isEqualTo(new ConsumerState.SequencePair(5, 40));
        assertThat(st.pending()).containsOnlyKeys(10L, 20L, 30L, 40L);
        assertThat(st.pending().get(20L)).isEqualTo(new ConsumerState.Pending(2, 2000));
        assertThat(st.redelivered()).containsExactly(Map.entry(20L, 1L));

        assertThat(c.updateAcks(3, 30)).isTrue();
        assertThat(c.state().ackFloor()).isEqualTo(ConsumerState.SequencePair.ZERO);
        assertThat(c.updateAcks(1, 10)).isTrue();
        // Stream sequences 11..19 were never delivered to this consumer, so the floor moves past them.
        assertThat(c.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(1, 19));
        assertThat(c.updateAcks(5, 20)).isTrue();
        assertThat(c.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(3, 39));
        assertThat(c.state().redelivered()).isEmpty();
        assertThat(c.updateAcks(4, 40)).isTrue();
        assertThat(c.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(5, 40));
        assertThat(c.state().pending()).isEmpty();
        assertThat(c.updateAcks(4, 40)).isFalse();
        assertThat(s.consumerStore("dur", ConsumerStore.AckMode.EXPLICIT)).isSameAs(c);
    }

    @Test
    void consumerStoreAckAllAndAckNone() {
        StreamStore s = open();
        ConsumerStore all = s.consumerStore("all", ConsumerStore.AckMode.ALL);
        for (long i = 1; i <= 5; i++) {
            all.updateDelivered(i, i, 1, i);
        }
        assertThat(all.updateAcks(3, 3)).isTrue();
        assertThat(all.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(3, 3));
        assertThat(all.state().pending()).containsOnlyKeys(4L, 5L);

        ConsumerStore none = s.consumerStore("none", ConsumerStore.AckMode.NONE);
        none.setStarting(100);
        none.updateDelivered(1, 101, 1, 1);
        assertThat(none.state().ackFloor()).isEqualTo(new ConsumerState.SequencePair(1, 101));
        assertThat(none.state().pending()).isEmpty();
        assertThatThrownBy(() -> none.updateAcks(1, 101)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.BAD_ACK));
        assertThatThrownBy(() -> none.updateDelivered(2, 102, 2, 1)).isInstanceOf(StoreException.class);
    }

    @Test
    void consumerStateCanBeReplaced() {
        StreamStore s = open();
        ConsumerStore c = s.consumerStore("r", ConsumerStore.AckMode.EXPLICIT);
        ConsumerState state = new ConsumerState(new ConsumerState.SequencePair(9, 90),
                new ConsumerState.SequencePair(7, 70), Map.of(80L, new ConsumerState.Pending(8, 5)), Map.of(80L, 2L));
        c.update(state);
        assertThat(c.state()).isEqualTo(state);
    }
}
