package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link JsOutput} for engine tests: records what JetStream sends; interest is what the test declares. */
final class JsRecordingOutput implements JsOutput {
    record Sent(String to, String subject, String reply, String headers, String payload) {
    }

    final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    /** What the test declares subscribed; adding or removing tells the watchers, as the account's sublist does. */
    final Set<String> interest = new AbstractSet<>() {
        private final Set<String> subjects = ConcurrentHashMap.newKeySet();

        @Override
        public boolean add(String subject) {
            boolean added = subjects.add(subject);
            watchers.forEach(Runnable::run);
            return added;
        }

        @Override
        public boolean remove(Object subject) {
            boolean removed = subjects.remove(subject);
            watchers.forEach(Runnable::run);
            return removed;
        }

        @Override
        public Iterator<String> iterator() {
            return subjects.iterator();
        }

        @Override
        public int size() {
            return subjects.size();
        }
    };

    @Override
    public void send(String to, String subject, String reply, byte[] headers, byte[] payload) {
        sent.add(new Sent(to, subject, reply, new String(headers, StandardCharsets.UTF_8),
                new String(payload, StandardCharsets.UTF_8)));
    }

    @Override
    public boolean hasInterest(String subject) {
        for (String s : interest) {
            if (Subjects.matches(s, subject)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Runnable watchInterest(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    /** Messages taken from the queue while looking for another destination, oldest first. */
    private final List<Sent> skipped = new ArrayList<>();

    /** The next message sent to {@code to}, in order per destination; fails after 5 s. */
    Sent next(String to) throws InterruptedException {
        for (Iterator<Sent> it = skipped.iterator(); it.hasNext();) {
            Sent s = it.next();
            if (s.to().equals(to)) {
                it.remove();
                return s;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Sent s = sent.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("nothing sent to " + to);
            }
            if (s.to().equals(to)) {
                return s;
            }
            skipped.add(s);
        }
    }
}
