package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers one publisher's messages: every plain subscription, one member per queue group, import
 * forwarders into other accounts. It only appends to the receivers' outbound buffers and remembers them;
 * {@link #flush()} wakes each receiver's writer once, after a whole read batch.
 */
final class MessageRouter {
    /** Import chains longer than this are cut, so mutual imports cannot loop. */
    private static final int MAX_HOPS = 8;
    private static final long MAX_STALL_NANOS = 1_000_000_000L;
    /** A batch reaching more connections than this wakes their writers rather than writing itself. */
    private static final int MAX_INLINE_TARGETS = 4;

    /** The connection publishing, whose own subscriptions echo=false skips; null for the server itself. */
    private final ClientConnection publisher;
    private final Set<ClientConnection> toFlush = new HashSet<>();
    private final List<EndOfBatch> endOfBatch = new ArrayList<>();
    private boolean echo = true;

    /** Work a server-side subscriber put off to the end of the batch that reached it. */
    @FunctionalInterface
    interface EndOfBatch {
        /**
         * Runs at {@link #flush(boolean)}, before the receivers are written to or woken; {@code inline} tells
         * that the batch ended the publisher's input and was small, so the publisher waits for answers.
         */
        void run(boolean inline);
    }

    MessageRouter(ClientConnection publisher) {
        this.publisher = publisher;
    }

    void echo(boolean echo) {
        this.echo = echo;
    }

    /** Marks a connection whose writer must be woken at the end of the batch. */
    void mark(ClientConnection c) {
        toFlush.add(c);
    }

    /** Runs {@code task} once, at the next flush; asking again for the same task before then adds nothing. */
    void atEndOfBatch(EndOfBatch task) {
        if (!endOfBatch.contains(task)) {
            endOfBatch.add(task);
        }
    }

    /** Wakes every writer this batch appended to, once. */
    void flush() {
        flush(false);
    }

    /**
     * Wakes every writer this batch appended to, once; with {@code inline}, a batch that reached only a few
     * connections writes to them itself where that is safe (see {@link ClientConnection#flushFrom}): a client
     * publisher's read batch, or replies the server sends from a thread of its own (PubAcks released by an
     * fsync).
     */
    void flush(boolean inline) {
        if (!endOfBatch.isEmpty()) {
            List<EndOfBatch> tasks = List.copyOf(endOfBatch);
            endOfBatch.clear();
            tasks.forEach(t -> t.run(inline));
        }
        if (toFlush.isEmpty()) {
            return;
        }
        boolean write = inline && toFlush.size() <= MAX_INLINE_TARGETS;
        for (ClientConnection c : toFlush) {
            c.flushFrom(write);
        }
        if (publisher != null) {
            stallForSlowReceivers();
        }
        toFlush.clear();
    }

    /**
     * nats-server's fast-producer stall: a client publisher waits, at most {@link #MAX_STALL_NANOS} per read
     * batch, for receivers with much queued; a receiver that stopped reading is cut by the write deadline.
     */
    private void stallForSlowReceivers() {
        long left = MAX_STALL_NANOS;
        try {
            for (ClientConnection c : toFlush) {
                if (c != publisher && left > 0) {
                    left = c.outbound().awaitWriter(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Routes a message within an account; returns how many subscriptions took it. */
    int route(Account account, ProtocolParser.Message m, String subject, int hops) {
        return route(m, subject, account.sublist.match(subject), hops);
    }

    /**
     * Routes a message the server itself sends (a JetStream reply) into this batch, to leave with it: the
     * publisher's echo setting does not apply, as the publisher did not send it.
     */
    int routeFromServer(ProtocolParser.Message m, String subject, SublistResult result) {
        boolean publisherEcho = echo;
        echo = true;
        try {
            return route(m, subject, result, 0);
        } finally {
            echo = publisherEcho;
        }
    }

    int route(ProtocolParser.Message m, String subject, SublistResult result, int hops) {
        int delivered = 0;
        for (Subscription s : result.plain) {
            delivered += deliver(s, m, subject, hops);
        }
        for (Subscription[] group : result.queues) {
            int n = group.length;
            int first = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
            for (int k = 0; k < n; k++) {
                int took = deliver(group[(first + k) % n], m, subject, hops);
                if (took > 0) {
                    delivered += took;
                    break;
                }
            }
        }
        return delivered;
    }

    private int deliver(Subscription s, ProtocolParser.Message m, String subject, int hops) {
        if (s.closed()) {
            return 0;
        }
        if (s.forwarder != null) {
            return hops < MAX_HOPS ? s.forwarder.forward(this, m, subject, hops + 1) : 0;
        }
        ClientConnection target = s.client;
        if (target == publisher && !echo) {
            return 0;
        }
        if (s.denyFilter != null && s.denyFilter.matchesSubject(Subjects.tokens(subject))) {
            return 0;
        }
        int claim = s.claimDelivery();
        if (claim == 0) {
            return 0;
        }
        ConnectionPermissions targetPerms = target.permissions();
        if (m.replyLength > 0 && targetPerms != null && targetPerms.tracksResponses()) {
            targetPerms.openResponse(new String(m.args, m.replyOffset, m.replyLength, StandardCharsets.UTF_8));
        }
        if (!target.outbound().appendMessage(m.args, m.subjectOffset, m.subjectLength, s.sidBytes, m.args,
                m.replyOffset, m.replyLength, m.headerLength, m.totalLength, m.payload, m.payloadOffset,
                target.headersEnabled())) {
            target.slowConsumer();
            return 0;
        }
        if (claim == 2) {
            target.removeSubscription(s);
        }
        toFlush.add(target);
        return 1;
    }
}
