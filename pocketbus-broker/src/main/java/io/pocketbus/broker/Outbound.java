package io.pocketbus.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's outbound bytes. Producers append rendered protocol under the lock and signal once per
 * read batch; the writer swaps the whole pending buffer out and writes it in one call, so everything
 * queued while the previous write ran goes out together. Pending bytes are capped: a producer that would
 * exceed the cap gets {@code false} and the connection is cut as a slow consumer. Before that, as
 * nats-server does, a client publishing to a connection with more than half the cap queued is stalled
 * (briefly, bounded) until the writer takes the queue, so a fast producer slows down to its consumers'
 * pace instead of getting them cut.
 */
final class Outbound {
    private static final byte[] MSG = "MSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL = 512;
    /** A spare buffer larger than this is dropped after a short write, so idle connections stay small. */
    private static final int KEEP_LIMIT = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    private final Condition taken = lock.newCondition();
    private final long maxPending;
    private byte[] buf = new byte[0];
    private int len;
    private byte[] spare;
    private boolean closing;
    private long outMsgs;
    private long outBytes;
    /** Whether a write (by the writer thread or inline by a publisher) is in progress; one at a time. */
    private boolean writing;
    /** System.nanoTime() when the current write began, 0 while none is in progress. */
    private volatile long writeStarted;
    /** How long the last write to the peer took, in nanoseconds. */
    private volatile long lastWriteNanos;

    Outbound(long maxPending) {
        this.maxPending = maxPending;
    }

    /** Appends raw protocol bytes (INFO, PONG, -ERR, +OK). False if the pending limit would be exceeded. */
    boolean append(byte[] bytes) {
        lock.lock();
        try {
            if (closing) {
                return true;
            }
            if (len + bytes.length > maxPending) {
                return false;
            }
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Renders one delivery. A message with headers goes to a connection without header support as MSG
     * with the payload only, as nats-server does.
     */
    boolean appendMessage(byte[] subject, int subjectOff, int subjectLen, byte[] sid, byte[] reply, int replyOff,
            int replyLen, int headerLen, int totalLen, byte[] data, int dataOff, boolean headersSupported) {
        boolean withHeaders = headerLen >= 0 && headersSupported;
        int skip = headerLen >= 0 && !headersSupported ? headerLen : 0;
        int bodyLen = totalLen - skip;
        int need = 5 + subjectLen + 1 + sid.length + 1 + (replyLen > 0 ? replyLen + 1 : 0) + 24 + bodyLen + 2;
        lock.lock();
        try {
            if (closing) {
                return true;
            }
            if (len + need > maxPending) {
                return false;
            }
            ensure(need);
            byte[] b = buf;
            int p = len;
            byte[] verb = withHeaders ? HMSG : MSG;
            System.arraycopy(verb, 0, b, p, verb.length);
            p += verb.length;
            System.arraycopy(subject, subjectOff, b, p, subjectLen);
            p += subjectLen;
            b[p++] = ' ';
            System.arraycopy(sid, 0, b, p, sid.length);
            p += sid.length;
            b[p++] = ' ';
            if (replyLen > 0) {
                System.arraycopy(reply, replyOff, b, p, replyLen);
                p += replyLen;
                b[p++] = ' ';
            }
            if (withHeaders) {
                p = writeNumber(b, p, headerLen);
                b[p++] = ' ';
            }
            p = writeNumber(b, p, bodyLen);
            b[p++] = '\r';
            b[p++] = '\n';
            System.arraycopy(data, dataOff + skip, b, p, bodyLen);
            p += bodyLen;
            b[p++] = '\r';
            b[p++] = '\n';
            len = p;
            outMsgs++;
            outBytes += bodyLen;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static int writeNumber(byte[] b, int p, int value) {
        if (value == 0) {
            b[p] = '0';
            return p + 1;
        }
        int digits = 0;
        for (int v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = p + digits;
        for (int v = value, q = end - 1; v > 0; v /= 10, q--) {
            b[q] = (byte) ('0' + v % 10);
        }
        return end;
    }

    private void ensure(int extra) {
        if (len + extra <= buf.length) {
            return;
        }
        int size = Math.max(INITIAL, buf.length * 2);
        while (size < len + extra) {
            size *= 2;
        }
        byte[] grown = new byte[size];
        System.arraycopy(buf, 0, grown, 0, len);
        buf = grown;
    }

    /**
     * Wakes the writer if anything is pending and no write is in progress: a write in progress takes up what
     * is pending when it ends, and waking the writer during an inline write would only send it back to wait.
     */
    void signal() {
        lock.lock();
        try {
            if (len > 0 && !writing) {
                pending.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stalls a producer while more than half the cap is queued, until the writer takes the queue or the time
     * is up; returns the time left.
     */
    long awaitWriter(long maxNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = maxNanos;
            while (len > maxPending / 2 && !closing && left > 0) {
                left = taken.awaitNanos(left);
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the writer drain what is queued and then stop; nothing appended afterwards is kept. */
    void closeAfterDrain() {
        lock.lock();
        try {
            closing = true;
            pending.signalAll();
            taken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything pending and stops the writer. */
    void discard() {
        lock.lock();
        try {
            closing = true;
            len = 0;
            pending.signalAll();
            taken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int pendingBytes() {
        lock.lock();
        try {
            return len;
        } finally {
            lock.unlock();
        }
    }

    long outMsgs() {
        lock.lock();
        try {
            return outMsgs;
        } finally {
            lock.unlock();
        }
    }

    long outBytes() {
        lock.lock();
        try {
            return outBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write has been blocked for longer than the deadline (the peer stopped reading). */
    boolean writeStalled(long deadlineNanos) {
        long started = writeStarted;
        return started != 0 && System.nanoTime() - started > deadlineNanos;
    }

    /**
     * Writes what is pending on the calling thread when no write is in progress, at most {@code maxBytes} are
     * pending and the last write to this peer took under {@code maxLastWriteNanos} (it keeps up), sparing the
     * hand-off to the writer thread. Returns false, having written nothing, otherwise.
     */
    boolean writeInline(Transport transport, int maxBytes, long maxLastWriteNanos) throws IOException {
        if (lastWriteNanos > maxLastWriteNanos) {
            return false;
        }
        byte[] out;
        int n;
        lock.lock();
        try {
            if (writing || closing || len == 0 || len > maxBytes) {
                return false;
            }
            out = buf;
            n = len;
            takeLocked(n);
        } finally {
            lock.unlock();
        }
        write(transport, out, n);
        return true;
    }

    /** Swaps the pending buffer out for writing; the lock is held. */
    private void takeLocked(int n) {
        buf = spare == null ? new byte[Math.min(Math.max(INITIAL, n), KEEP_LIMIT)] : spare;
        spare = null;
        len = 0;
        writing = true;
        taken.signalAll();
    }

    private void write(Transport transport, byte[] out, int n) throws IOException {
        long started = Math.max(1, System.nanoTime());
        writeStarted = started;
        try {
            transport.write(out, 0, n);
        } finally {
            lastWriteNanos = System.nanoTime() - started;
            writeStarted = 0;
            lock.lock();
            try {
                writing = false;
                if (out.length <= KEEP_LIMIT || n > out.length / 4) {
                    spare = out;
                }
                // The writer thread may have been woken while this write ran and gone back to waiting.
                if (len > 0 || closing) {
                    pending.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The writer loop; returns once closed and drained. */
    void runWriter(Transport transport) throws IOException, InterruptedException {
        while (true) {
            byte[] out;
            int n;
            lock.lock();
            try {
                while (writing || len == 0 && !closing) {
                    pending.await();
                }
                if (len == 0) {
                    return;
                }
                out = buf;
                n = len;
                takeLocked(n);
            } finally {
                lock.unlock();
            }
            write(transport, out, n);
        }
    }
}
