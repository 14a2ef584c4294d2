package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * JetStream inside a broker: for every account it adds the server's own subscriptions, as nats-server's
 * internal JetStream client has them — {@code $JS.API.>}, {@code $JS.ACK.>}, {@code $JS.FC.>}, each
 * stream's subjects and its direct-get subjects — and publishes replies and deliveries into the account.
 */
final class JetStreamService {
    private static final byte[] EMPTY = new byte[0];
    private static final MessageRouter.EndOfBatch FORCE_DEFERRED = StoreGroupCommit::forceDeferred;
    private final JetStreamConfig config;
    private final Map<String, JetStreamAccount> accounts = new ConcurrentHashMap<>();
    /** Limits from account JWTs, which take the place of the configured ones, as in operator mode. */
    private final Map<String, JetStreamLimits> jwtLimits = new ConcurrentHashMap<>();

    JetStreamService(JetStreamConfig config) {
        this.config = config;
    }

    /** Called once when the broker creates an account: subscribes the API and recovers stored streams. */
    void accountCreated(Account account) {
        Output out = new Output(account);
        Optional<JetStreamLimits> limits = Optional.ofNullable(jwtLimits.get(account.name))
                .or(() -> config.limitsFor(account.name));
        Optional<JetStreamAccount> jsa = limits.map(l -> new JetStreamAccount(account.name, config, l, out, new Routes(account, out)));
        account.sublist.insert(new Subscription("$JS.API.>", (router, m, subject, hops) -> {
            if (subject.startsWith(JetStreamApi.DIRECT_GET)) {
                // Answered by the stream's own direct-get subscription (a KV get): nothing to copy here.
                return 0;
            }
            String reply = reply(m);
            return answer(router, out, JetStreamApi.handle(jsa, subject, reply, headers(m), body(m)), reply);
        }));
        if (jsa.isEmpty()) {
            return;
        }
        JetStreamAccount a = jsa.get();
        accounts.put(account.name, a);
        // limits applied while the account was being set up are not lost
        Optional.ofNullable(jwtLimits.get(account.name)).ifPresent(a::updateLimits);
        account.sublist.insert(new Subscription("$JS.ACK.>", (router, m, subject, hops) -> ack(a, subject, m)));
        account.sublist.insert(new Subscription("$JS.FC.>", (router, m, subject, hops) -> {
            String[] t = subject.split("\\.");
            if (t.length == 5) {
                a.stream(t[2]).flatMap(s -> s.consumer(t[3])).ifPresent(c -> c.flowControlReply(subject));
            }
            return 1;
        }));
        a.recover();
    }

    /**
     * Applies the JetStream limits of an account's JWT: at once to its JetStream if the account has been
     * used, else when it is. An account whose JetStream was disabled by configuration stays without it.
     */
    void applyLimits(String account, JetStreamLimits limits) {
        jwtLimits.put(account, limits);
        JetStreamAccount a = accounts.get(account);
        if (a != null) {
            a.updateLimits(limits);
        }
    }

    /**
     * Recovers, at broker start, every account that has streams on disk, by creating it through
     * {@code account} (which calls {@link #accountCreated}): the first request after a restart then finds
     * its streams, consumers and KV buckets ready instead of paying for their recovery.
     */
    void recoverStored(Consumer<String> account) {
        Optional<Path> dir = config.storeDir();
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return;
        }
        try (Stream<Path> list = Files.list(dir.get())) {
            for (Path accountDir : list.sorted().toList()) {
                if (Files.isDirectory(accountDir.resolve("streams"))) {
                    account.accept(accountDir.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the JetStream store " + dir.get(), e);
        }
    }

    /** Sends an API answer or direct get with the read batch of the request ({@code router}). */
    private static int answer(MessageRouter router, Output out, JsApiReply r, String reply) {
        if (!r.handled()) {
            return 0;
        }
        if (r.hasMessage() && !reply.isEmpty()) {
            out.reply(router, reply, r.headers(), r.payload());
        }
        return 1;
    }

    /**
     * {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>}: read token by token, as
     * one arrives for every message a consumer with acks delivers.
     */
    private static int ack(JetStreamAccount a, String subject, ProtocolParser.Message m) {
        int[] dots = new int[9];
        int n = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                if (n == 8) {
                    return 0;
                }
                dots[n++] = i;
            }
        }
        if (n != 8) {
            return 0;
        }
        dots[8] = subject.length();
        Optional<JsConsumer> c = a.stream(subject.substring(dots[1] + 1, dots[2]))
                .flatMap(s -> s.consumer(subject.substring(dots[2] + 1, dots[3])));
        long sseq = parseSeq(subject, dots[4] + 1, dots[5]);
        long dseq = parseSeq(subject, dots[5] + 1, dots[6]);
        if (c.isEmpty() || sseq < 0 || dseq < 0) {
            return 0;
        }
        c.get().ack(sseq, dseq, body(m), reply(m));
        return 1;
    }

    /** The decimal number in {@code s[from, to)}, or -1 when it is not one. */
    private static long parseSeq(String s, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** The JetStream-enabled accounts by name, read-only, for monitoring ({@code /jsz}). */
    Map<String, JetStreamAccount> accounts() {
        return Collections.unmodifiableMap(accounts);
    }

    JetStreamConfig config() {
        return config;
    }

    void close() {
        accounts.values().forEach(JetStreamAccount::close);
        accounts.clear();
    }

    static String reply(ProtocolParser.Message m) {
        return m.replyLength == 0 ? "" : new String(m.args, m.replyOffset, m.replyLength, StandardCharsets.UTF_8);
    }

    static byte[] headers(ProtocolParser.Message m) {
        if (m.headerLength <= 0) {
            return EMPTY;
        }
        byte[] h = new byte[m.headerLength];
        System.arraycopy(m.payload, m.payloadOffset, h, 0, m.headerLength);
        return h;
    }

    static byte[] body(ProtocolParser.Message m) {
        int skip = Math.max(0, m.headerLength);
        byte[] b = new byte[m.totalLength - skip];
        System.arraycopy(m.payload, m.payloadOffset + skip, b, 0, b.length);
        return b;
    }

    /** Publishes into one account as the server (no publisher connection, so no echo rules). */
    private static final class Output implements JsOutput {
        private final Account account;

        Output(Account account) {
            this.account = account;
        }

        @Override
        public void send(String to, String subject, String reply, byte[] headers, byte[] payload) {
            MessageRouter router = new MessageRouter(null);
            route(router, to, bytes(subject), bytes(reply), headers, payload);
            router.flush();
        }

        @Override
        public Batch batch() {
            return new RoutedBatch(false);
        }

        @Override
        public Batch replies() {
            return new RoutedBatch(true);
        }

        /**
         * A batch is mostly one pull request's messages: one destination, usually one stored subject. Both
         * are looked up once per batch, not per message.
         */
        private final class RoutedBatch implements Batch {
            private final MessageRouter router = new MessageRouter(null);
            private final boolean inline;
            private String lastTo;
            private SublistResult lastMatch;
            private String lastSubject;
            private byte[] lastSubjectBytes;

            RoutedBatch(boolean inline) {
                this.inline = inline;
            }

            @Override
            public void send(String to, String subject, String reply, byte[] headers, byte[] payload) {
                route(router, to, bytes(subject), bytes(reply), headers, payload);
            }

            @Override
            public void deliver(String to, String subject, byte[] reply, int replyLength, byte[] headers, byte[] payload) {
                if (!subject.equals(lastSubject)) {
                    lastSubject = subject;
                    lastSubjectBytes = bytes(subject);
                }
                if (!to.equals(lastTo)) {
                    lastTo = to;
                    lastMatch = account.sublist.match(to);
                }
                byte[] s = lastSubjectBytes;
                ProtocolParser.Message m = new ProtocolParser.Message();
                m.args = new byte[s.length + replyLength];
                System.arraycopy(s, 0, m.args, 0, s.length);
                System.arraycopy(reply, 0, m.args, s.length, replyLength);
                m.subjectLength = s.length;
                m.replyOffset = s.length;
                m.replyLength = replyLength;
                setData(m, headers, payload);
                router.route(m, to, lastMatch, 0);
            }

            @Override
            public void flush() {
                router.flush(inline);
                // Subscriptions may change before the next batch.
                lastTo = null;
                lastMatch = null;
            }
        }

        @Override
        public void reply(MessageRouter batch, String to, byte[] headers, byte[] payload) {
            byte[] subject = bytes(to);
            ProtocolParser.Message m = ProtocolParser.Message.of(subject, EMPTY, -1, payload, 0, payload.length);
            setData(m, headers, payload);
            batch.routeFromServer(m, to, account.sublist.match(to));
        }

        private void route(MessageRouter router, String to, byte[] subject, byte[] reply, byte[] headers, byte[] payload) {
            ProtocolParser.Message m = ProtocolParser.Message.of(subject, reply, -1, payload, 0, payload.length);
            setData(m, headers, payload);
            router.route(m, to, account.sublist.match(to), 0);
        }

        /** The header block (empty for none) and payload, as one buffer when there are headers. */
        private static void setData(ProtocolParser.Message m, byte[] headers, byte[] payload) {
            byte[] data = payload;
            if (headers.length > 0) {
                data = new byte[headers.length + payload.length];
                System.arraycopy(headers, 0, data, 0, headers.length);
                System.arraycopy(payload, 0, data, headers.length, payload.length);
            }
            m.headerLength = headers.length > 0 ? headers.length : -1;
            m.payload = data;
            m.payloadOffset = 0;
            m.totalLength = data.length;
        }

        private static byte[] bytes(String s) {
            return s.isEmpty() ? EMPTY : s.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean hasInterest(String subject) {
            return !account.sublist.match(subject).isEmpty();
        }

        @Override
        public Runnable watchInterest(Runnable onChange) {
            return account.sublist.watch(onChange);
        }
    }

    /** Keeps each stream's subscriptions (its subjects, and direct get when allowed) in the account's sublist. */
    private static final class Routes implements JetStreamAccount.StreamListener {
        private final Account account;
        private final Output out;
        private final Map<JsStream, List<Subscription>> subs = new ConcurrentHashMap<>();
        private final JsPubAckOrder pubAcks;

        Routes(Account account, Output out) {
            this.account = account;
            this.out = out;
            this.pubAcks = new JsPubAckOrder(out);
        }

        @Override
        public void streamAdded(JsStream stream) {
            List<Subscription> list = new ArrayList<>();
            for (String subject : stream.config().subjects) {
                list.add(new Subscription(subject, (router, m, subj, hops) -> {
                    if (m.replyLength == 0 || stream.config().noAck) {
                        stream.publish(subj, headers(m), body(m), false, ack -> { });
                        return 1;
                    }
                    String reply = reply(m);
                    JsPubAckOrder.Pending ack = new JsPubAckOrder.Pending();
                    // Under sync always the fsync waits for the end of the read batch: the reader goes on
                    // with the batch, and then forces and sends the acks itself if the publisher waits for
                    // them, as a sync publisher does; a streaming publisher's batches go to a syncer.
                    StoreGroupCommit.deferForces();
                    router.atEndOfBatch(FORCE_DEFERRED);
                    stream.publish(subj, headers(m), body(m), false, ack);
                    pubAcks.published(router, ack, reply);
                    return 1;
                }));
            }
            if (stream.config().allowDirect) {
                String direct = JetStreamApi.DIRECT_GET + stream.name();
                Forwarder get = (router, m, subj, hops) ->
                        answer(router, out, JetStreamApi.directGet(stream, subj, body(m)), reply(m));
                list.add(new Subscription(direct, get));
                list.add(new Subscription(direct + ".>", get));
            }
            list.forEach(account.sublist::insert);
            subs.put(stream, list);
        }

        @Override
        public void streamRemoved(JsStream stream) {
            List<Subscription> list = subs.remove(stream);
            if (list != null) {
                for (Subscription s : list) {
                    s.close();
                    account.sublist.remove(s);
                }
            }
        }
    }
}
