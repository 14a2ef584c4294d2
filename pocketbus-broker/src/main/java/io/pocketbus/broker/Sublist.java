package io.pocketbus.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An account's subscriptions as a trie of subject tokens with {@code *} and {@code >} branches, plus a
 * result cache for literal subjects. Writers hold the write lock while they change the trie, evict the
 * cached results their subject can match and bump the generation; a match that misses the cache fills it
 * under the read lock, so no stale result can be cached after a writer has finished.
 */
final class Sublist {
    static final int CACHE_MAX = 1024;
    static final int CACHE_SWEEP_TO = 256;
    /**
     * JetStream ack subjects carry the delivery's sequences, so each is matched once: never found in the
     * cache, and caching them would only push out subjects that repeat and cost a sweep per ack.
     */
    private static final String UNCACHED_PREFIX = "$JS.ACK.";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Node root = new Node();
    private final ConcurrentHashMap<String, SublistResult> cache = new ConcurrentHashMap<>();
    private volatile long generation;
    private int count;
    private final AtomicLong matches = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    /** Held by the one matcher sweeping the cache; the others go on (as nats-server's single sweeper). */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long inserts;
    private long removes;
    /** Told of every insert and remove (JetStream push consumers wait for interest this way). */
    private final CopyOnWriteArrayList<Runnable> watchers = new CopyOnWriteArrayList<>();

    private static final class Node {
        Map<String, Node> literals;
        Node pwc;
        Node fwc;
        List<Subscription> plain;
        Map<String, List<Subscription>> queues;

        boolean isEmpty() {
            return (literals == null || literals.isEmpty()) && pwc == null && fwc == null
                    && (plain == null || plain.isEmpty()) && (queues == null || queues.isEmpty());
        }
    }

    /**
     * Runs {@code onChange} under the write lock after each later insert and remove, until the returned
     * handle is run; it must be quick and must not use this sublist.
     */
    Runnable watch(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    private void changed() {
        for (Runnable w : watchers) {
            w.run();
        }
    }

    /** Changes whenever a subscription is added or removed; per-connection caches compare it. */
    long generation() {
        return generation;
    }

    int count() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    void insert(Subscription sub) {
        String[] tokens = Subjects.tokens(sub.subject);
        lock.writeLock().lock();
        try {
            Node node = root;
            for (String t : tokens) {
                node = child(node, t, true);
            }
            if (sub.queue == null) {
                if (node.plain == null) {
                    node.plain = new ArrayList<>(2);
                }
                node.plain.add(sub);
            } else {
                if (node.queues == null) {
                    node.queues = new HashMap<>(4);
                }
                node.queues.computeIfAbsent(sub.queue, q -> new ArrayList<>(2)).add(sub);
            }
            count++;
            inserts++;
            invalidate(sub.subject, tokens);
            changed();
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean remove(Subscription sub) {
        String[] tokens = Subjects.tokens(sub.subject);
        lock.writeLock().lock();
        try {
            Node[] path = new Node[tokens.length + 1];
            path[0] = root;
            Node node = root;
            for (int i = 0; i < tokens.length; i++) {
                node = child(node, tokens[i], false);
                if (node == null) {
                    return false;
                }
                path[i + 1] = node;
            }
            boolean removed;
            if (sub.queue == null) {
                removed = node.plain != null && removeIdentity(node.plain, sub);
            } else {
                List<Subscription> members = node.queues == null ? null : node.queues.get(sub.queue);
                removed = members != null && removeIdentity(members, sub);
                if (removed && members.isEmpty()) {
                    node.queues.remove(sub.queue);
                }
            }
            if (!removed) {
                return false;
            }
            count--;
            removes++;
            prune(path, tokens);
            invalidate(sub.subject, tokens);
            changed();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The subscriptions matching a literal subject. */
    SublistResult match(String subject) {
        matches.incrementAndGet();
        boolean cacheable = !subject.startsWith(UNCACHED_PREFIX);
        SublistResult cached = cacheable ? cache.get(subject) : null;
        if (cached != null) {
            cacheHits.incrementAndGet();
            return cached;
        }
        String[] tokens = Subjects.tokens(subject);
        lock.readLock().lock();
        try {
            Collector collector = new Collector();
            collect(root, tokens, 0, collector);
            SublistResult result = collector.result();
            if (!cacheable) {
                return result;
            }
            // Every unique reply subject (_INBOX.<nuid>.<n>, PubAck inboxes) lands here once; the bound and a
            // single sweeper keep that cheap.
            cache.put(subject, result);
            if (cache.size() > CACHE_MAX && sweeping.compareAndSet(false, true)) {
                try {
                    sweepCache();
                } finally {
                    sweeping.set(false);
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    SublistStats stats() {
        lock.readLock().lock();
        try {
            return new SublistStats(count, cache.size(), inserts, removes, matches.get(), cacheHits.get());
        } finally {
            lock.readLock().unlock();
        }
    }

    record SublistStats(int subscriptions, int cacheEntries, long inserts, long removes, long matches, long cacheHits) {
    }

    private static Node child(Node node, String token, boolean create) {
        if (token.equals("*")) {
            if (node.pwc == null && create) {
                node.pwc = new Node();
            }
            return node.pwc;
        }
        if (token.equals(">")) {
            if (node.fwc == null && create) {
                node.fwc = new Node();
            }
            return node.fwc;
        }
        if (node.literals == null) {
            if (!create) {
                return null;
            }
            node.literals = new HashMap<>(4);
        }
        return create ? node.literals.computeIfAbsent(token, t -> new Node()) : node.literals.get(token);
    }

    private static void prune(Node[] path, String[] tokens) {
        for (int i = tokens.length; i > 0; i--) {
            Node node = path[i];
            if (!node.isEmpty()) {
                return;
            }
            Node parent = path[i - 1];
            String t = tokens[i - 1];
            if (t.equals("*")) {
                parent.pwc = null;
            } else if (t.equals(">")) {
                parent.fwc = null;
            } else {
                parent.literals.remove(t);
            }
        }
    }

    private static boolean removeIdentity(List<Subscription> list, Subscription sub) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == sub) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Called with the write lock held: drops cached results the changed subject can affect. */
    private void invalidate(String subject, String[] tokens) {
        if (!Subjects.hasWildcard(subject)) {
            cache.remove(subject);
        } else {
            cache.keySet().removeIf(key -> Subjects.matchTokens(tokens, Subjects.tokens(key)));
        }
        generation++;
    }

    private void sweepCache() {
        Iterator<String> it = cache.keySet().iterator();
        while (cache.size() > CACHE_SWEEP_TO && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static void collect(Node node, String[] tokens, int i, Collector out) {
        if (i == tokens.length) {
            out.add(node);
            return;
        }
        if (node.fwc != null) {
            out.add(node.fwc);
        }
        if (node.pwc != null) {
            collect(node.pwc, tokens, i + 1, out);
        }
        if (node.literals != null) {
            Node lit = node.literals.get(tokens[i]);
            if (lit != null) {
                collect(lit, tokens, i + 1, out);
            }
        }
    }

    private static final class Collector {
        private final List<Subscription> plain = new ArrayList<>();
        private Map<String, List<Subscription>> queues;

        void add(Node node) {
            if (node.plain != null) {
                plain.addAll(node.plain);
            }
            if (node.queues != null && !node.queues.isEmpty()) {
                if (queues == null) {
                    queues = new LinkedHashMap<>();
                }
                node.queues.forEach((q, members) -> queues.computeIfAbsent(q, k -> new ArrayList<>()).addAll(members));
            }
        }

        SublistResult result() {
            if (plain.isEmpty() && queues == null) {
                return SublistResult.EMPTY;
            }
            Subscription[][] qs = queues == null ? new Subscription[0][]
                    : queues.values().stream().map(l -> l.toArray(new Subscription[0])).toArray(Subscription[][]::new);
            return new SublistResult(plain.toArray(new Subscription[0]), qs);
        }
    }
}
