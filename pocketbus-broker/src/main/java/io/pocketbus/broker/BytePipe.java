package io.pocketbus.broker;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory byte stream between two threads, the in-process counterpart of a socket
 * direction: a full pipe blocks the writer (so the broker's write deadline and slow-consumer rules apply
 * unchanged), an empty one blocks the reader, and closing wakes both.
 */
final class BytePipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int size;
    private boolean closed;

    BytePipe(int capacity) {
        ring = new byte[capacity];
    }

    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == 0 && !closed) {
                notEmpty.await();
            }
            if (size == 0) {
                return -1;
            }
            int n = Math.min(len, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, b, off, first);
            System.arraycopy(ring, 0, b, off + first, n - first);
            head = (head + n) % ring.length;
            size -= n;
            notFull.signalAll();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    void write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (len > 0) {
                while (size == ring.length && !closed) {
                    notFull.await();
                }
                if (closed) {
                    throw new IOException("pipe closed");
                }
                int n = Math.min(len, ring.length - size);
                int tail = (head + size) % ring.length;
                int first = Math.min(n, ring.length - tail);
                System.arraycopy(b, off, ring, tail, first);
                System.arraycopy(b, off + first, ring, 0, n - first);
                size += n;
                off += n;
                len -= n;
                notEmpty.signalAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
