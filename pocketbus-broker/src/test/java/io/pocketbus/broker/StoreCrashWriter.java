package io.pocketbus.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The process {@link StoreCrashTest} kills. Appends to a file store (or drives a consumer store) forever
 * and prints each change only after the store call returned, i.e. once it is acknowledged:
 *
 * <pre>
 * A seq n      message n stored as seq
 * R seq        about to remove seq (may or may not have happened when killed)
 * D seq        seq removed
 * K floor delivered   consumer ack confirmed (after awaitDurable, as the broker confirms one); the
 *                     consumer's ack floor and delivered consumer sequence
 * </pre>
 */
public final class StoreCrashWriter {

    private StoreCrashWriter() {
    }

    static String subject(long n) {
        return "crash." + n % 5;
    }

    static byte[] payload(long n) {
        return ("payload-" + n + "-" + "x".repeat((int) (n % 200))).getBytes(UTF_8);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        SyncPolicy sync = SyncPolicy.valueOf(args[2]);
        long n = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, false, UTF_8);
        // Small segments and frequent index snapshots, so kills also land in rotations and snapshot writes.
        FileStore store = FileStore.builder(dir).syncPolicy(sync).blockSize(16 * 1024).snapshotBytes(64 * 1024).open();
        if (mode.equals("consumer")) {
            runConsumer(store, out);
            return;
        }
        Map<Long, Long> seqOf = new HashMap<>();
        while (true) {
            long seq = store.store(subject(n), new byte[0], payload(n), MemoryStore.now());
            out.println("A " + seq + " " + n);
            out.flush();
            seqOf.put(n, seq);
            // Remove two thirds of older messages so segments empty out and get compacted meanwhile.
            Long old = seqOf.remove(n - 50);
            if (old != null && (n - 50) % 3 != 0) {
                out.println("R " + old);
                out.flush();
                store.removeMsg(old);
                out.println("D " + old);
                out.flush();
            }
            n++;
        }
    }

    private static void runConsumer(FileStore store, PrintStream out) {
        ConsumerStore c = store.consumerStore("durable", ConsumerStore.AckMode.EXPLICIT);
        long next = c.state().delivered().consumerSeq() + 1;
        while (true) {
            // Deliver two, acknowledge them out of order, so the floor moves in jumps.
            c.updateDelivered(next, next, 1, next);
            c.updateDelivered(next + 1, next + 1, 1, next + 1);
            c.updateAcks(next + 1, next + 1);
            c.awaitDurable();
            report(c, out);
            c.updateAcks(next, next);
            c.awaitDurable();
            report(c, out);
            next += 2;
        }
    }

    private static void report(ConsumerStore c, PrintStream out) {
        ConsumerState st = c.state();
        out.println("K " + st.ackFloor().consumerSeq() + " " + st.delivered().consumerSeq());
        out.flush();
    }
}
