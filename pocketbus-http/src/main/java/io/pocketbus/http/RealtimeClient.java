package io.pocketbus.http;

import io.pocketbus.core.Record;
import io.pocketbus.tools.security.RandomStrings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connected realtime (SSE) client: its id, the auth bound by its last subscription request, its
 * subscriptions, and the frames waiting to be written to its stream. A full outbox drops new frames, so a
 * stalled client never holds up the delivery to others.
 */
final class RealtimeClient {
    static final int OUTBOX_LIMIT = 10_000;
    private static final Frame END = new Frame("", "");

    private final String id;
    private final String remoteIp;
    private final LinkedBlockingQueue<Frame> outbox = new LinkedBlockingQueue<>(OUTBOX_LIMIT);
    private volatile Record auth;
    private volatile List<RealtimeSubscription> subscriptions = List.of();

    RealtimeClient(String remoteIp) {
        this.id = RandomStrings.random(40);
        this.remoteIp = remoteIp;
    }

    /** A frame: {@code event:<name>} and {@code data:<data>}. */
    record Frame(String event, String data) {
    }

    String id() {
        return id;
    }

    String remoteIp() {
        return remoteIp;
    }

    Optional<Record> auth() {
        return Optional.ofNullable(auth);
    }

    void setAuth(Optional<Record> record) {
        this.auth = record.orElse(null);
    }

    List<RealtimeSubscription> subscriptions() {
        return subscriptions;
    }

    void setSubscriptions(List<RealtimeSubscription> subs) {
        this.subscriptions = List.copyOf(subs);
    }

    boolean hasSubscription(String raw) {
        return subscriptions.stream().anyMatch(s -> s.raw().equals(raw));
    }

    /** Queues a frame; false when the outbox is full. */
    boolean send(Frame frame) {
        return outbox.offer(frame);
    }

    /** Asks the stream to end after the frames already queued. */
    void end() {
        outbox.clear();
        outbox.offer(END);
    }

    /** The next frame within {@code millis}; empty on timeout or when the stream must end. */
    Optional<Frame> next(long millis) throws InterruptedException {
        Frame f = outbox.poll(millis, TimeUnit.MILLISECONDS);
        return f == null || f == END ? Optional.empty() : Optional.of(f);
    }
}
