package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operations applied to a memory store, a file store (tiny segments, reopened now and then, its
 * index snapshot sometimes dropped) and a plain reference model, compared after every step.
 */
class StoreRandomizedTest {

    private static final String[] SUBJECTS = {"a", "a.b", "a.c", "b.x.1", "b.y.1", "c"};
    private static final String[] FILTERS = {">", "a", "a.*", "b.>", "b.*.1", "c", "zz"};

    @TempDir
    Path tmp;

    private record Msg(String subject, byte[] payload) {
    }

    private final TreeMap<Long, Msg> model = new TreeMap<>();
    private long last;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void storesAgreeWithTheModel(long seed) throws Exception {
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("file");
        // Odd seeds run without limits, even ones with a store-wide and a per-subject cap.
        StoreConfig config = seed % 2 == 1 ? StoreConfig.UNLIMITED
                : StoreConfig.builder().maxMsgs(60).maxMsgsPerSubject(8).build();
        MemoryStore mem = MemoryStore.open(config, () -> 0);
        FileStore file = FileStore.builder(dir).config(config).blockSize(1024).snapshotBytes(8 * 1024).clock(() -> 0).open();
        try {
            for (int step = 0; step < 800; step++) {
                int op = rnd.nextInt(100);
                if (op < 55) {
                    String subject = SUBJECTS[rnd.nextInt(SUBJECTS.length)];
                    byte[] payload = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(1500) : rnd.nextInt(40)];
                    rnd.nextBytes(payload);
                    long ts = step + 1;
                    long a = mem.store(subject, new byte[0], payload, ts);
                    long b = file.store(subject, new byte[0], payload, ts);
                    model.put(++last, new Msg(subject, payload));
                    applyLimits(config, subject);
                    assertThat(a).isEqualTo(last);
                    assertThat(b).isEqualTo(last);
                } else if (op < 75) {
                    long seq = 1 + (long) rnd.nextInt((int) Math.max(1, last + 2));
                    boolean erase = rnd.nextBoolean();
                    boolean expected = model.remove(seq) != null;
                    assertThat(erase ? mem.eraseMsg(seq) : mem.removeMsg(seq)).isEqualTo(expected);
                    assertThat(erase ? file.eraseMsg(seq) : file.removeMsg(seq)).isEqualTo(expected);
                } else if (op < 80) {
                    String filter = FILTERS[rnd.nextInt(FILTERS.length)];
                    long upTo = rnd.nextBoolean() ? 0 : rnd.nextInt((int) last + 2);
                    long keep = rnd.nextBoolean() ? 0 : rnd.nextInt(5);
                    long expected = modelPurge(filter, upTo, keep);
                    assertThat(mem.purge(filter, upTo, keep)).isEqualTo(expected);
                    assertThat(file.purge(filter, upTo, keep)).isEqualTo(expected);
                } else if (op < 83) {
                    long seq = rnd.nextInt((int) last + 5);
                    long expected = modelCompact(seq);
                    assertThat(mem.compact(seq)).isEqualTo(expected);
                    assertThat(file.compact(seq)).isEqualTo(expected);
                } else if (op < 86) {
                    long n = 1 + rnd.nextInt(20);
                    mem.skipMsgs(last + 1, n);
                    file.skipMsgs(last + 1, n);
                    last += n;
                } else if (op < 92) {
                    if (rnd.nextBoolean()) {
                        // What a kill leaves: the files as they are between two calls, no closing snapshot.
                        Path copy = tmp.resolve("crash" + step);
                        copyTree(dir, copy);
                        file.close();
                        dir = copy;
                    } else {
                        file.close();
                    }
                    if (rnd.nextInt(3) == 0) {
                        StoreIndexSnapshot.delete(dir.resolve("msgs"));
                    }
                    file = FileStore.builder(dir).config(config).blockSize(1024).snapshotBytes(8 * 1024)
                            .clock(() -> 0).open();
                } else {
                    String filter = FILTERS[rnd.nextInt(FILTERS.length)];
                    long start = rnd.nextInt((int) last + 2);
                    for (StreamStore s : List.of(mem, file)) {
                        assertThat(s.loadNextMsg(filter, start).map(StoredMsg::seq).orElse(-1L))
                                .as("next %s from %d", filter, start).isEqualTo(modelNext(filter, start));
                        assertThat(s.numPending(start, filter, false)).isEqualTo(modelPending(filter, start));
                        assertThat(s.loadLastMsg(filter).map(StoredMsg::seq).orElse(-1L))
                                .isEqualTo(modelLast(filter));
                    }
                }
                check(mem, step);
                check(file, step);
            }
        } finally {
            mem.close();
            file.close();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private void check(StreamStore s, int step) {
        StoreState st = s.state();
        String where = s.type() + " at step " + step;
        assertThat(st.msgs()).as(where).isEqualTo(model.size());
        assertThat(st.lastSeq()).as(where).isEqualTo(last);
        if (!model.isEmpty()) {
            assertThat(st.firstSeq()).as(where).isEqualTo(model.firstKey());
            List<Long> gaps = new ArrayList<>();
            for (long seq = model.firstKey(); seq <= last; seq++) {
                if (!model.containsKey(seq)) {
                    gaps.add(seq);
                }
            }
            assertThat(st.deleted()).as(where).isEqualTo(gaps);
        } else if (last > 0) {
            assertThat(st.firstSeq()).as(where).isEqualTo(last + 1);
        }
        Map<String, StoreSubjectState> expected = new TreeMap<>();
        model.forEach((seq, m) -> expected.merge(m.subject(), new StoreSubjectState(1, seq, seq),
                (x, y) -> new StoreSubjectState(x.msgs() + 1, Math.min(x.first(), seq), Math.max(x.last(), seq))));
        assertThat(s.subjectsState(">")).as(where).isEqualTo(expected);
        if (step % 50 == 0) {
            model.forEach((seq, m) -> {
                StoredMsg loaded = s.loadMsg(seq).orElseThrow();
                assertThat(loaded.subject()).isEqualTo(m.subject());
                assertThat(loaded.payload()).isEqualTo(m.payload());
            });
        }
    }

    private void applyLimits(StoreConfig config, String subject) {
        if (config.maxMsgsPerSubject() > 0) {
            List<Long> ofSubject = model.entrySet().stream().filter(e -> e.getValue().subject().equals(subject))
                    .map(Map.Entry::getKey).toList();
            for (int i = 0; i < ofSubject.size() - config.maxMsgsPerSubject(); i++) {
                model.remove(ofSubject.get(i));
            }
        }
        while (config.maxMsgs() > 0 && model.size() > config.maxMsgs()) {
            model.pollFirstEntry();
        }
    }

    private long modelPurge(String filter, long upTo, long keep) {
        if (StoreFilter.matchesAll(filter)) {
            if (upTo > 1) {
                return modelCompact(upTo);
            }
            if (keep > 0) {
                return keep >= model.size() ? 0 : modelCompact(last - keep + 1);
            }
            return upTo == 0 ? modelCompact(last + 1) : 0;
        }
        List<Long> matching = model.entrySet().stream()
                .filter(e -> StoreFilter.matches(filter, e.getValue().subject())).map(Map.Entry::getKey).toList();
        if (matching.isEmpty() || keep > 0 && keep >= matching.size()) {
            return 0;
        }
        long toPurge = keep > 0 ? matching.size() - keep : matching.size();
        long end = upTo > 1 ? upTo - 1 : matching.get(matching.size() - 1);
        long purged = 0;
        for (long seq : matching) {
            if (purged == toPurge || seq > end) {
                break;
            }
            model.remove(seq);
            purged++;
        }
        return purged;
    }

    private long modelCompact(long seq) {
        long removed = model.headMap(seq).size();
        model.headMap(seq).clear();
        if (model.isEmpty() && seq - 1 > last) {
            last = seq - 1;
        }
        return removed;
    }

    private long modelNext(String filter, long start) {
        return model.tailMap(start).entrySet().stream()
                .filter(e -> StoreFilter.matches(filter, e.getValue().subject()))
                .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
    }

    private long modelPending(String filter, long start) {
        return model.tailMap(start).values().stream().filter(m -> StoreFilter.matches(filter, m.subject())).count();
    }

    private long modelLast(String filter) {
        return model.descendingMap().entrySet().stream()
                .filter(e -> StoreFilter.matches(filter, e.getValue().subject()))
                .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
    }
}
