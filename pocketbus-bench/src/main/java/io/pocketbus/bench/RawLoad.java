package io.pocketbus.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Server-bound throughput with pre-rendered PUB frames and counting subscribers on raw sockets. */
final class RawLoad {
    private static final int FRAMES_PER_WRITE = 64;

    private RawLoad() {
    }

    /** Publishes {@code count} messages of {@code size} bytes in the given shape; returns published msgs/s. */
    static double run(int port, Shape shape, int size, long count) {
        String subject = "bench.raw." + System.nanoTime();
        List<RawConnection> subscribers = new ArrayList<>();
        try (RawConnection publisher = new RawConnection(port)) {
            for (int i = 0; i < shape.subscribers; i++) {
                RawConnection sub = new RawConnection(port);
                sub.subscribe(subject, shape.queue ? "q" : "", 1);
                subscribers.add(sub);
            }
            byte[] batch = render(subject, size);
            long batches = count / FRAMES_PER_WRITE;
            long expected = batches * FRAMES_PER_WRITE;
            List<Thread> readers = new ArrayList<>();
            for (RawConnection sub : subscribers) {
                BooleanSupplier done = shape.queue
                        ? () -> subscribers.stream().mapToLong(RawConnection::messages).sum() >= expected
                        : () -> sub.messages() >= expected;
                readers.add(Thread.ofPlatform().start(() -> sub.readUntil(done)));
            }
            long start = System.nanoTime();
            for (long b = 0; b < batches; b++) {
                publisher.write(batch);
            }
            publisher.ping();
            for (Thread reader : readers) {
                reader.join();
            }
            long elapsed = System.nanoTime() - start;
            return expected * 1e9 / elapsed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            subscribers.forEach(RawConnection::close);
        }
    }

    private static byte[] render(String subject, int size) {
        byte[] head = ("PUB " + subject + " " + size + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        int frame = head.length + size + 2;
        byte[] batch = new byte[frame * FRAMES_PER_WRITE];
        for (int i = 0; i < FRAMES_PER_WRITE; i++) {
            int at = i * frame;
            System.arraycopy(head, 0, batch, at, head.length);
            System.arraycopy(payload, 0, batch, at + head.length, size);
            batch[at + frame - 2] = '\r';
            batch[at + frame - 1] = '\n';
        }
        return batch;
    }
}
