package io.pocketbus.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.ObjectStore;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** JetStream loads through the real jnats client, each on its own file-stored stream, bucket or store. */
final class JetStreamLoad {
    private static final int PAYLOAD = 128;

    private JetStreamLoad() {
    }

    /** Told when a load's measured part starts and ends (once per phase: KV and objects have two). */
    interface Meter {
        Meter NONE = new Meter() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }
        };

        void start();

        void stop();
    }

    /**
     * A connection whose JetStream requests wait up to 30 s: on a busy machine a stream create, which both
     * servers answer after writing its metadata, can outlast jnats's 2 s default.
     */
    static Connection connect(String url) {
        try {
            return Nats.connect(new Options.Builder().server(url).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(30)).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + url, e);
        }
    }

    /** Returns acknowledged publishes per second, one publish waiting for its ack before the next. */
    static double syncPublish(String url, long count, Meter meter) throws Exception {
        try (Connection nc = connect(url)) {
            String name = createStream(nc);
            JetStream js = nc.jetStream();
            byte[] data = new byte[PAYLOAD];
            meter.start();
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                js.publish(name + ".x", data);
            }
            double rate = perSecond(count, start);
            meter.stop();
            deleteStream(nc, name);
            return rate;
        }
    }

    /** Returns acknowledged publishes per second with up to {@code inFlight} awaiting their acks. */
    static double asyncPublish(String url, long count, int inFlight, Meter meter) throws Exception {
        try (Connection nc = connect(url)) {
            String name = createStream(nc);
            meter.start();
            long start = System.nanoTime();
            fill(nc, name + ".x", count, inFlight, PAYLOAD);
            double rate = perSecond(count, start);
            meter.stop();
            deleteStream(nc, name);
            return rate;
        }
    }

    /** Publishes {@code count} messages keeping {@code inFlight} unacknowledged, then awaits every ack. */
    static void fill(Connection nc, String subject, long count, int inFlight, int size) throws Exception {
        JetStream js = nc.jetStream();
        byte[] data = new byte[size];
        ArrayDeque<CompletableFuture<PublishAck>> pending = new ArrayDeque<>();
        for (long i = 0; i < count; i++) {
            if (pending.size() == inFlight) {
                pending.poll().get();
            }
            pending.add(js.publishAsync(subject, data));
        }
        while (!pending.isEmpty()) {
            pending.poll().get();
        }
    }

    /** Returns messages per second fetched in batches of 100 by a durable pull consumer, each acked explicitly. */
    static double pullConsume(String url, long count, Meter meter) throws Exception {
        try (Connection nc = connect(url)) {
            String name = createStream(nc);
            fill(nc, name + ".x", count, 1_000, PAYLOAD);
            JetStream js = nc.jetStream();
            ConsumerConfiguration consumer = ConsumerConfiguration.builder()
                    .durable("bench").ackPolicy(AckPolicy.Explicit).maxAckPending(-1).build();
            JetStreamSubscription sub = js.subscribe(name + ".x",
                    PullSubscribeOptions.builder().stream(name).configuration(consumer).build());
            long received = 0;
            meter.start();
            long start = System.nanoTime();
            while (received < count) {
                List<Message> batch = sub.fetch(100, Duration.ofSeconds(5));
                if (batch.isEmpty()) {
                    throw new IllegalStateException("pull consumer stalled after " + received + " of " + count);
                }
                for (Message msg : batch) {
                    msg.ack();
                }
                received += batch.size();
            }
            double rate = perSecond(count, start);
            meter.stop();
            sub.unsubscribe();
            deleteStream(nc, name);
            return rate;
        }
    }

    /** KV puts and gets per second over 100 keys: {@code [puts/s, gets/s]}. */
    static double[] keyValue(String url, long count, Meter meter) throws Exception {
        try (Connection nc = connect(url)) {
            String bucket = "bench" + System.nanoTime();
            nc.keyValueManagement().create(KeyValueConfiguration.builder()
                    .name(bucket).storageType(StorageType.File).build());
            KeyValue kv = nc.keyValue(bucket);
            byte[] data = new byte[PAYLOAD];
            meter.start();
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                kv.put("key." + (i % 100), data);
            }
            double puts = perSecond(count, start);
            meter.stop();
            meter.start();
            start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                if (kv.get("key." + (i % 100)) == null) {
                    throw new IllegalStateException("missing key." + (i % 100));
                }
            }
            double gets = perSecond(count, start);
            meter.stop();
            nc.keyValueManagement().delete(bucket);
            return new double[] {puts, gets};
        }
    }

    /** Object put and get of {@code bytes} random bytes, in MiB/s: {@code [put, get]}. */
    static double[] object(String url, int bytes, Meter meter) throws Exception {
        byte[] data = new byte[bytes];
        new Random(1).nextBytes(data);
        try (Connection nc = connect(url)) {
            String bucket = "bench" + System.nanoTime();
            nc.objectStoreManagement().create(ObjectStoreConfiguration.builder(bucket)
                    .storageType(StorageType.File).build());
            ObjectStore os = nc.objectStore(bucket);
            meter.start();
            long start = System.nanoTime();
            os.put(ObjectMeta.objectName("blob"), new ByteArrayInputStream(data));
            double put = mibPerSecond(bytes, start);
            meter.stop();
            CountingStream out = new CountingStream();
            meter.start();
            start = System.nanoTime();
            os.get("blob", out);
            double get = mibPerSecond(bytes, start);
            meter.stop();
            if (out.count != bytes) {
                throw new IllegalStateException("object get returned " + out.count + " of " + bytes + " bytes");
            }
            nc.objectStoreManagement().delete(bucket);
            return new double[] {put, get};
        }
    }

    static String createStream(Connection nc) throws Exception {
        String name = "bench" + System.nanoTime();
        createStream(nc, name);
        return name;
    }

    static void createStream(Connection nc, String name) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(name).subjects(name + ".>")
                .storageType(StorageType.File).build());
    }

    private static void deleteStream(Connection nc, String name) throws Exception {
        nc.jetStreamManagement().deleteStream(name);
    }

    private static double perSecond(long count, long startNanos) {
        return count * 1e9 / (System.nanoTime() - startNanos);
    }

    private static double mibPerSecond(long bytes, long startNanos) {
        return bytes / (1024.0 * 1024.0) * 1e9 / (System.nanoTime() - startNanos);
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
