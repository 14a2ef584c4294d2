package io.pocketbus.core;

import io.pocketbus.core.spi.MessageBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-JVM {@link MessageBus}, used when no broker is configured. Each subscription has its own bounded
 * queue drained by one virtual thread, so a subscriber sees messages in publish order and a slow subscriber
 * never blocks the publisher: when its queue is full, new messages for it are dropped (NATS's slow
 * consumer) and counted in {@link #dropped()}.
 */
public final class LocalMessageBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMessageBus.class);
    public static final int DEFAULT_PENDING_LIMIT = 65_536;

    private final int pendingLimit;
    private final List<LocalSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    private LocalMessageBus(int pendingLimit) {
        this.pendingLimit = pendingLimit;
    }

    public static LocalMessageBus create() {
        return new LocalMessageBus(DEFAULT_PENDING_LIMIT);
    }

    /** A bus whose subscriptions hold at most {@code pendingLimit} undelivered messages each. */
    public static LocalMessageBus withPendingLimit(int pendingLimit) {
        if (pendingLimit < 1) {
            throw new IllegalArgumentException("pendingLimit must be >= 1");
        }
        return new LocalMessageBus(pendingLimit);
    }

    @Override
    public void publish(String subject, byte[] data, Map<String, String> headers) {
        if (!isValidSubject(subject, false)) {
            throw new IllegalArgumentException("invalid publish subject: " + subject);
        }
        if (closed) {
            return;
        }
        Message message = new Message(subject, data.clone(), headers);
        String[] tokens = subject.split("\\.", -1);
        for (LocalSubscription s : subscriptions) {
            if (matches(s.tokens, tokens) && !s.queue.offer(message)) {
                dropped.incrementAndGet();
                LOG.warn("slow subscriber on {}: message on {} dropped", s.subject, subject);
            }
        }
    }

    @Override
    public Subscription subscribe(String subject, Handler handler) {
        if (!isValidSubject(subject, true)) {
            throw new IllegalArgumentException("invalid subscribe subject: " + subject);
        }
        if (closed) {
            throw new IllegalStateException("the message bus is closed");
        }
        LocalSubscription s = new LocalSubscription(subject, handler, pendingLimit);
        subscriptions.add(s);
        s.start();
        return s;
    }

    /** Messages dropped because a subscriber's queue was full. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(LocalSubscription::unsubscribe);
    }

    /** Whether {@code subject} is well formed; wildcards only when {@code wildcards}, {@code >} only last. */
    static boolean isValidSubject(String subject, boolean wildcards) {
        if (subject == null || subject.isEmpty()) {
            return false;
        }
        String[] tokens = subject.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
                return false;
            }
            boolean wildcard = t.equals("*") || t.equals(">");
            if (wildcard && (!wildcards || (t.equals(">") && i != tokens.length - 1))) {
                return false;
            }
        }
        return true;
    }

    /** NATS subject matching of a literal subject's tokens against a filter's tokens. */
    static boolean matches(String[] filter, String[] subject) {
        for (int i = 0; i < filter.length; i++) {
            String f = filter[i];
            if (f.equals(">")) {
                return subject.length > i;
            }
            if (i >= subject.length || (!f.equals("*") && !f.equals(subject[i]))) {
                return false;
            }
        }
        return filter.length == subject.length;
    }

    private final class LocalSubscription implements Subscription {
        private final String subject;
        private final String[] tokens;
        private final Handler handler;
        private final LinkedBlockingQueue<Message> queue;
        private final AtomicBoolean active = new AtomicBoolean(true);
        private Thread thread;

        LocalSubscription(String subject, Handler handler, int limit) {
            this.subject = subject;
            this.tokens = subject.split("\\.", -1);
            this.handler = handler;
            this.queue = new LinkedBlockingQueue<>(limit);
        }

        void start() {
            thread = Thread.ofVirtual().name("bus-sub-" + subject).start(this::drain);
        }

        private void drain() {
            while (active.get()) {
                Message m;
                try {
                    m = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (!active.get()) {
                    return;
                }
                try {
                    handler.onMessage(m);
                } catch (RuntimeException e) {
                    LOG.warn("subscriber on {} failed for {}", subject, m.subject(), e);
                }
            }
        }

        @Override
        public String subject() {
            return subject;
        }

        @Override
        public void unsubscribe() {
            if (active.compareAndSet(true, false)) {
                subscriptions.remove(this);
                queue.clear();
                thread.interrupt();
            }
        }
    }
}
