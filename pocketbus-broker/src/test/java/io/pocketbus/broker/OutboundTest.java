package io.pocketbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inline write a publisher's reader may do, and how it shares the peer with the writer thread. */
class OutboundTest {
    private static final long ANY_DURATION = Long.MAX_VALUE;

    /** Records what is written; the first write can be held until released, to catch a write in progress. */
    private static final class RecordingTransport implements Transport {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        private final CountDownLatch releaseFirstWrite;
        private final Thread[] writers = new Thread[8];
        private int writes;

        RecordingTransport(boolean holdFirstWrite) {
            releaseFirstWrite = new CountDownLatch(holdFirstWrite ? 1 : 0);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return -1;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int index;
            synchronized (this) {
                index = writes++;
                writers[Math.min(index, writers.length - 1)] = Thread.currentThread();
            }
            if (index == 0) {
                firstWriteStarted.countDown();
                try {
                    releaseFirstWrite.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                written.write(b, off, len);
            }
        }

        synchronized String text() {
            return written.toString(StandardCharsets.US_ASCII);
        }

        synchronized Thread writer(int index) {
            return writers[index];
        }

        @Override
        public void close() {
        }

        @Override
        public String remoteHost() {
            return "127.0.0.1";
        }

        @Override
        public int remotePort() {
            return 0;
        }

        @Override
        public String kind() {
            return "test";
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void writesPendingBytesOnTheCallingThreadWhenNoWriteIsInProgress() throws Exception {
        Outbound out = new Outbound(1 << 20);
        RecordingTransport transport = new RecordingTransport(false);
        assertFalse(out.writeInline(transport, 4096, ANY_DURATION), "nothing pending, nothing written");
        out.append(ascii("PONG\r\n"));
        assertTrue(out.writeInline(transport, 4096, ANY_DURATION));
        assertEquals("PONG\r\n", transport.text());
        assertEquals(Thread.currentThread(), transport.writer(0));
        assertEquals(0, out.pendingBytes());
    }

    @Test
    void leavesLargeOutputAndSlowPeersToTheWriter() throws Exception {
        Outbound out = new Outbound(1 << 20);
        RecordingTransport transport = new RecordingTransport(false);
        out.append(new byte[5000]);
        assertFalse(out.writeInline(transport, 4096, ANY_DURATION), "more pending than the inline limit");
        assertEquals(5000, out.pendingBytes());
        assertTrue(out.writeInline(transport, 8192, ANY_DURATION));
        out.append(ascii("PONG\r\n"));
        assertFalse(out.writeInline(transport, 4096, -1), "the last write took longer than allowed");
        assertEquals(6, out.pendingBytes());
    }

    @Test
    void aWriteInProgressMakesTheInlineWriteStepAsideAndTheWriterKeepsTheOrder() throws Exception {
        Outbound out = new Outbound(1 << 20);
        RecordingTransport transport = new RecordingTransport(true);
        out.append(ascii("A"));
        Thread inline = Thread.ofVirtual().start(() -> {
            try {
                out.writeInline(transport, 4096, ANY_DURATION);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(transport.firstWriteStarted.await(10, TimeUnit.SECONDS));
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.runWriter(transport);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        out.append(ascii("B"));
        out.signal();
        assertFalse(out.writeInline(transport, 4096, ANY_DURATION), "one write at a time");
        out.append(ascii("C"));
        transport.releaseFirstWrite.countDown();
        inline.join();
        out.closeAfterDrain();
        writer.join();
        assertEquals("ABC", transport.text());
        assertEquals(writer, transport.writer(1), "what queued during the inline write goes out by the writer");
    }
}
