package io.pocketbus.broker;

import io.pocketbus.broker.AccountConfig.ResponseType;
import io.pocketbus.broker.AccountConfig.ServiceExport;
import io.pocketbus.broker.AccountConfig.ServiceImport;
import io.pocketbus.broker.AccountConfig.StreamExport;
import io.pocketbus.broker.AccountConfig.StreamImport;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires imports to exports between accounts. A stream import is a forwarding subscription in the exporter
 * that republishes into the importer (with the prefix); a service import is a forwarding subscription in
 * the importer that republishes the request into the exporter with its reply rewritten to a {@code _R_.}
 * subject, whose own forwarding subscription carries the response back.
 */
final class AccountLinks {
    private static final Logger LOG = LoggerFactory.getLogger(AccountLinks.class);
    /** nats-server's default response threshold for service imports. */
    static final Duration RESPONSE_THRESHOLD = Duration.ofMinutes(2);
    private static final byte[] NO_REPLY = new byte[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, AccountConfig> configs = new HashMap<>();
    /** The forwarding subscription of each wired import, by what it wires. */
    private final Map<Link, Map.Entry<Account, Subscription>> wired = new HashMap<>();
    private final Function<String, Account> accounts;
    private final ScheduledExecutorService scheduler;
    private final String replyPrefix;
    private final AtomicLong replySequence = new AtomicLong();

    AccountLinks(Function<String, Account> accounts, ScheduledExecutorService scheduler) {
        this.accounts = accounts;
        this.scheduler = scheduler;
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder("_R_.");
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        this.replyPrefix = sb.append('.').toString();
    }

    /** Runs the links' timed work (response thresholds, activation expiry). */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Adds or replaces an account's exports and imports, and rewires every link. */
    void define(AccountConfig config) {
        lock.lock();
        try {
            configs.put(config.name(), config);
            rewire();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wires every allowed import that is not wired yet and unwires those no longer allowed; links that stay are
     * left alone, so their messages keep flowing while another account changes.
     */
    private void rewire() {
        Set<Link> wanted = new HashSet<>();
        for (AccountConfig importer : configs.values()) {
            for (StreamImport i : importer.streamImports()) {
                if (streamExportAllows(i, importer.name())) {
                    wanted.add(new Link(importer.name(), i, null));
                } else {
                    LOG.warn("account {}: no stream export of {} in account {} allows this import", importer.name(),
                            i.subject(), i.account());
                }
            }
            for (ServiceImport i : importer.serviceImports()) {
                ServiceExport export = serviceExportFor(i, importer.name());
                if (export != null) {
                    wanted.add(new Link(importer.name(), i, export.responseType()));
                } else {
                    LOG.warn("account {}: no service export of {} in account {} allows this import", importer.name(),
                            i.subject(), i.account());
                }
            }
        }
        wired.entrySet().removeIf(w -> {
            if (wanted.contains(w.getKey())) {
                return false;
            }
            w.getValue().getValue().close();
            w.getValue().getKey().sublist.remove(w.getValue().getValue());
            return true;
        });
        for (Link link : wanted) {
            if (!wired.containsKey(link)) {
                Map.Entry<Account, Subscription> w = switch (link.definition()) {
                    case StreamImport i -> wireStream(link.importer(), i);
                    case ServiceImport i -> wireService(link.importer(), i, link.responseType());
                    default -> throw new IllegalStateException("not an import: " + link.definition());
                };
                w.getKey().sublist.insert(w.getValue());
                wired.put(link, w);
            }
        }
    }

    /** An import as wired: by which account, the import, and (for a service) the export's response type. */
    private record Link(String importer, Object definition, ResponseType responseType) {
    }

    private boolean streamExportAllows(StreamImport i, String importer) {
        AccountConfig exporter = configs.get(i.account());
        if (exporter == null) {
            return false;
        }
        String[] wanted = Subjects.tokens(i.subject());
        for (StreamExport e : exporter.streamExports()) {
            if (Subjects.isSubset(wanted, Subjects.tokens(e.subject()))
                    && (e.accounts().isEmpty() || e.accounts().contains(importer))) {
                return true;
            }
        }
        return false;
    }

    private ServiceExport serviceExportFor(ServiceImport i, String importer) {
        AccountConfig exporter = configs.get(i.account());
        if (exporter == null) {
            return null;
        }
        String[] wanted = Subjects.tokens(i.subject());
        for (ServiceExport e : exporter.serviceExports()) {
            if (Subjects.isSubset(wanted, Subjects.tokens(e.subject()))
                    && (e.accounts().isEmpty() || e.accounts().contains(importer))) {
                return e;
            }
        }
        return null;
    }

    private Map.Entry<Account, Subscription> wireStream(String importerName, StreamImport i) {
        Account exporter = accounts.apply(i.account());
        Account importer = accounts.apply(importerName);
        String prefix = i.prefix().map(p -> p + ".").orElse("");
        SubjectMapping mapping = i.to().map(to -> SubjectMapping.of(i.subject(), to)).orElse(null);
        return Map.entry(exporter, new Subscription(i.subject(), (router, m, subject, hops) -> {
            String target = mapping == null ? prefix + subject : mapping.apply(Subjects.tokens(subject));
            ProtocolParser.Message copy = ProtocolParser.Message.of(target.getBytes(StandardCharsets.UTF_8),
                    reply(m), m.headerLength, m.payload, m.payloadOffset, m.totalLength);
            return router.route(importer, copy, target, hops);
        }));
    }

    private Map.Entry<Account, Subscription> wireService(String importerName, ServiceImport i,
            ResponseType responseType) {
        Account exporter = accounts.apply(i.account());
        Account importer = accounts.apply(importerName);
        String local = i.to().orElse(i.subject());
        SubjectMapping mapping = SubjectMapping.of(local, i.subject());
        return Map.entry(importer, new Subscription(local, (router, m, subject, hops) -> {
            String target = mapping.apply(Subjects.tokens(subject));
            byte[] reply = NO_REPLY;
            if (m.replyLength > 0) {
                String responseSubject = replyPrefix + replySequence.incrementAndGet();
                openResponseRoute(exporter, importer, responseSubject, reply(m), responseType);
                reply = responseSubject.getBytes(StandardCharsets.UTF_8);
            }
            ProtocolParser.Message copy = ProtocolParser.Message.of(target.getBytes(StandardCharsets.UTF_8), reply,
                    m.headerLength, m.payload, m.payloadOffset, m.totalLength);
            return router.route(exporter, copy, target, hops);
        }));
    }

    /** A temporary route in the exporter from the rewritten reply subject back to the requester's inbox. */
    private void openResponseRoute(Account exporter, Account importer, String responseSubject, byte[] originalReply,
            ResponseType responseType) {
        String original = new String(originalReply, StandardCharsets.UTF_8);
        AtomicBoolean done = new AtomicBoolean();
        Subscription[] self = new Subscription[1];
        self[0] = new Subscription(responseSubject, (router, m, subject, hops) -> {
            if (responseType == ResponseType.SINGLETON && !done.compareAndSet(false, true)) {
                return 0;
            }
            ProtocolParser.Message copy = ProtocolParser.Message.of(originalReply, reply(m), m.headerLength,
                    m.payload, m.payloadOffset, m.totalLength);
            int n = router.route(importer, copy, original, hops);
            if (responseType == ResponseType.SINGLETON) {
                closeRoute(exporter, self[0]);
            }
            return n;
        });
        exporter.sublist.insert(self[0]);
        scheduler.schedule(() -> closeRoute(exporter, self[0]), RESPONSE_THRESHOLD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void closeRoute(Account exporter, Subscription s) {
        if (!s.closed()) {
            s.close();
            exporter.sublist.remove(s);
        }
    }

    private static byte[] reply(ProtocolParser.Message m) {
        if (m.replyLength == 0) {
            return NO_REPLY;
        }
        byte[] r = new byte[m.replyLength];
        System.arraycopy(m.args, m.replyOffset, r, 0, m.replyLength);
        return r;
    }

}
