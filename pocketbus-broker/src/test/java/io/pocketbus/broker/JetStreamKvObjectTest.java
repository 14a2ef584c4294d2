package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreWatcher;
import io.nats.client.api.StorageType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key-Value (ADR-8) and Object Store (ADR-20) through jnats, on memory and on file storage. */
abstract class JetStreamKvObjectTest {
    @TempDir
    Path dir;
    Broker broker;
    Connection nc;

    abstract StorageType storage();

    JetStreamConfig jetStreamConfig() {
        return JetStreamConfig.storeDir(dir).build();
    }

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().port(0).jetStream(jetStreamConfig()).build().start();
        nc = connect();
    }

    @AfterEach
    void stop() throws Exception {
        nc.close();
        broker.shutdown();
    }

    Connection connect() throws Exception {
        return Nats.connect(Options.builder().server("nats://127.0.0.1:" + broker.port()).build());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(KeyValueEntry e) {
        return new String(e.getValue(), StandardCharsets.UTF_8);
    }

    KeyValue bucket(String name, int history) throws Exception {
        KeyValueManagement kvm = nc.keyValueManagement();
        kvm.create(KeyValueConfiguration.builder().name(name).maxHistoryPerKey(history).storageType(storage()).build());
        return nc.keyValue(name);
    }

    @Test
    void putGetCreateUpdateDeletePurge() throws Exception {
        KeyValue kv = bucket("cfg", 5);
        long r1 = kv.put("app.color", "red");
        assertThat(text(kv.get("app.color"))).isEqualTo("red");
        assertThat(kv.get("app.color").getRevision()).isEqualTo(r1);
        long r2 = kv.update("app.color", bytes("blue"), r1);
        assertThat(r2).isGreaterThan(r1);
        assertThatThrownBy(() -> kv.update("app.color", bytes("green"), r1))
                .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10071));
        assertThat(text(kv.get("app.color", r1))).isEqualTo("red");
        long c = kv.create("app.size", bytes("L"));
        assertThatThrownBy(() -> kv.create("app.size", bytes("M"))).isInstanceOf(JetStreamApiException.class);
        kv.delete("app.size");
        assertThat(kv.get("app.size")).isNull();
        assertThat(kv.create("app.size", bytes("S"))).isGreaterThan(c);
        assertThat(kv.keys()).containsExactlyInAnyOrder("app.color", "app.size");
        kv.purge("app.color");
        assertThat(kv.get("app.color")).isNull();
        assertThat(kv.keys()).containsExactly("app.size");
        List<KeyValueEntry> history = kv.history("app.size");
        assertThat(history).extracting(KeyValueEntry::getOperation)
                .containsExactly(KeyValueOperation.PUT, KeyValueOperation.DELETE, KeyValueOperation.PUT);
        assertThat(kv.history("app.color")).extracting(KeyValueEntry::getOperation).containsExactly(KeyValueOperation.PURGE);
        KeyValueStatus status = kv.getStatus();
        assertThat(status.getMaxHistoryPerKey()).isEqualTo(5);
        assertThat(status.getEntryCount()).isEqualTo(4);
        assertThat(kv.get("missing")).isNull();
    }

    @Test
    void getWorksThroughMsgGetWhenDirectIsOff() throws Exception {
        nc.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name("KV_plain")
                .subjects("$KV.plain.>").maxMessagesPerSubject(1).allowRollup(true).denyDelete(true)
                .allowDirect(false).storageType(storage()).build());
        KeyValue kv = nc.keyValue("plain");
        kv.put("k", "v1");
        kv.put("k", "v2");
        assertThat(text(kv.get("k"))).isEqualTo("v2");
        assertThat(kv.get("k").getRevision()).isEqualTo(2);
    }

    @Test
    void watchSendsInitialValuesThenUpdates() throws Exception {
        KeyValue kv = bucket("w", 1);
        kv.put("a", "1");
        kv.put("b", "2");
        List<KeyValueEntry> seen = new CopyOnWriteArrayList<>();
        CountDownLatch initial = new CountDownLatch(1);
        CountDownLatch updates = new CountDownLatch(4);
        KeyValueWatcher watcher = new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry e) {
                seen.add(e);
                updates.countDown();
            }

            @Override
            public void endOfData() {
                initial.countDown();
            }
        };
        try (var sub = kv.watchAll(watcher)) {
            assertThat(initial.await(5, TimeUnit.SECONDS)).isTrue();
            kv.put("a", "3");
            kv.delete("b");
            assertThat(updates.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).extracting(KeyValueEntry::getKey).containsExactly("a", "b", "a", "b");
        assertThat(seen.get(3).getOperation()).isEqualTo(KeyValueOperation.DELETE);
    }

    @Test
    void emptyBucketWatchEndsInitialDataAtOnce() throws Exception {
        KeyValue kv = bucket("empty", 1);
        CountDownLatch initial = new CountDownLatch(1);
        try (var sub = kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry e) {
            }

            @Override
            public void endOfData() {
                initial.countDown();
            }
        })) {
            assertThat(initial.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(kv.keys()).isEmpty();
    }

    @Test
    void bucketSurvivesRestart() throws Exception {
        Assumptions.assumeTrue(storage() == StorageType.File);
        KeyValue kv = bucket("keep", 3);
        kv.put("x", "1");
        kv.put("x", "2");
        nc.close();
        broker.shutdown();
        broker = Broker.builder().port(0).jetStream(jetStreamConfig()).build().start();
        nc = connect();
        KeyValue again = nc.keyValue("keep");
        assertThat(text(again.get("x"))).isEqualTo("2");
        assertThat(again.history("x")).hasSize(2);
        assertThat(nc.keyValueManagement().getBucketNames()).containsExactly("keep");
    }

    @Test
    void objectPutGetInfoListDeleteLinks() throws Exception {
        ObjectStoreManagement osm = nc.objectStoreManagement();
        osm.create(ObjectStoreConfiguration.builder("files").storageType(storage()).build());
        ObjectStore os = nc.objectStore("files");
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        ObjectInfo put = os.put(ObjectMeta.builder("big.bin").chunkSize(64 * 1024).build(), new ByteArrayInputStream(data));
        assertThat(put.getChunks()).isEqualTo(5);
        assertThat(put.getSize()).isEqualTo(data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectInfo got = os.get("big.bin", out);
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(got.getDigest()).isEqualTo(put.getDigest());
        os.put("small.txt", bytes("hello"));
        assertThat(os.getInfo("small.txt").getSize()).isEqualTo(5);
        os.addLink("alias", os.getInfo("small.txt"));
        ByteArrayOutputStream viaLink = new ByteArrayOutputStream();
        os.get("alias", viaLink);
        assertThat(viaLink.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(os.getList()).extracting(ObjectInfo::getObjectName).containsExactlyInAnyOrder("big.bin", "small.txt", "alias");
        os.delete("big.bin");
        assertThat(os.getInfo("big.bin")).isNull();
        assertThat(os.getInfo("big.bin", true).isDeleted()).isTrue();
        assertThat(os.getList()).extracting(ObjectInfo::getObjectName).containsExactlyInAnyOrder("small.txt", "alias");
        ObjectInfo replaced = os.put("small.txt", bytes("bye"));
        assertThat(replaced.getSize()).isEqualTo(3);
        assertThat(os.getStatus().getSize()).isPositive();
    }

    @Test
    void objectWatchSeesPuts() throws Exception {
        nc.objectStoreManagement().create(ObjectStoreConfiguration.builder("watched").storageType(storage()).build());
        ObjectStore os = nc.objectStore("watched");
        os.put("first", bytes("1"));
        List<String> names = new ArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        CountDownLatch eod = new CountDownLatch(1);
        try (var sub = os.watch(new ObjectStoreWatcher() {
            @Override
            public void watch(ObjectInfo info) {
                names.add(info.getObjectName());
                two.countDown();
            }

            @Override
            public void endOfData() {
                eod.countDown();
            }
        })) {
            assertThat(eod.await(5, TimeUnit.SECONDS)).isTrue();
            os.put("second", bytes("2"));
            assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(names).containsExactly("first", "second");
    }

    static final class Memory extends JetStreamKvObjectTest {
        @Override
        StorageType storage() {
            return StorageType.Memory;
        }
    }

    static final class File extends JetStreamKvObjectTest {
        @Override
        StorageType storage() {
            return StorageType.File;
        }
    }

    /** File storage under sync always: KV and object writes are acknowledged after group commits. */
    static final class FileSyncAlways extends JetStreamKvObjectTest {
        @Override
        StorageType storage() {
            return StorageType.File;
        }

        @Override
        JetStreamConfig jetStreamConfig() {
            return JetStreamConfig.storeDir(dir).syncPolicy(SyncPolicy.ALWAYS).build();
        }
    }
}
