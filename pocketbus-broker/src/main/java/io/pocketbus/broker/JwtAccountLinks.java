package io.pocketbus.broker;

import io.pocketbus.broker.AccountConfig.ResponseType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In operator mode, the exports and imports of account JWTs: an account's links are defined when a connection
 * first uses it (with the accounts it imports from), and defined again from fresh claims when the resolver's
 * JWTs change. A private export ({@code token_req}) is offered only to the accounts whose import carries a valid
 * activation token, checked as nats-server checks it: signed by the exporting account or one of its signing
 * keys, for the importing account, of the import's type, covering the import's subject, not expired and not
 * revoked by the export. Activations are checked again whenever the links are defined again, and when one
 * expires.
 */
final class JwtAccountLinks {
    private static final Logger LOG = LoggerFactory.getLogger(JwtAccountLinks.class);

    private final OperatorAuthenticator operator;
    private final AccountLinks links;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<String> defined = new LinkedHashSet<>();
    /** Per exporting account and private export subject, the importing accounts with a valid activation. */
    private final Map<String, Map<String, Set<String>>> activated = new HashMap<>();
    /** The activation expiries a refresh is already scheduled for. */
    private final Set<Instant> expiries = new HashSet<>();

    JwtAccountLinks(OperatorAuthenticator operator, AccountLinks links) {
        this.operator = operator;
        this.links = links;
        this.clock = operator.clock();
    }

    OperatorAuthenticator operator() {
        return operator;
    }

    /** Defines the account's links from its JWT, once, after those of the accounts it imports from. */
    void used(String account) {
        lock.lock();
        try {
            if (defined.contains(account)) {
                return;
            }
            Optional<JwtAccountClaims> claims = operator.accountClaims(account);
            if (claims.isEmpty()) {
                return;
            }
            defined.add(account);
            for (JwtImport i : claims.get().imports()) {
                used(i.account());
            }
            for (String exporter : activate(account, claims.get())) {
                if (defined.contains(exporter)) {
                    links.define(toAccountConfig(exporter, operator.accountClaims(exporter)));
                }
            }
            links.define(toAccountConfig(account, claims));
        } finally {
            lock.unlock();
        }
    }

    /** Defines every account seen so far again, from the resolver's current JWTs. */
    void refresh() {
        lock.lock();
        try {
            activated.clear();
            Map<String, Optional<JwtAccountClaims>> current = new LinkedHashMap<>();
            for (String account : defined) {
                current.put(account, operator.accountClaims(account));
            }
            current.forEach((account, claims) -> claims.ifPresent(c -> activate(account, c)));
            current.forEach((account, claims) -> links.define(toAccountConfig(account, claims)));
        } finally {
            lock.unlock();
        }
    }

    /** Records the importer's valid activations; returns the exporting accounts that gained an importer. */
    private Set<String> activate(String importer, JwtAccountClaims claims) {
        Set<String> changed = new LinkedHashSet<>();
        for (JwtImport i : claims.imports()) {
            if (i.token().isEmpty()) {
                continue;
            }
            Optional<JwtAccountClaims> exporter = operator.accountClaims(i.account());
            Optional<JwtExport> export = exporter.flatMap(e -> privateExportFor(e, i));
            if (export.isEmpty()) {
                continue;
            }
            Optional<JwtActivationClaims> act = validActivation(importer, i, exporter.get(), export.get());
            if (act.isEmpty()) {
                continue;
            }
            act.get().expires().ifPresent(this::refreshAt);
            if (activated.computeIfAbsent(i.account(), k -> new HashMap<>())
                    .computeIfAbsent(export.get().subject(), k -> new LinkedHashSet<>()).add(importer)) {
                changed.add(i.account());
            }
        }
        return changed;
    }

    /** Defines the links again once an activation has expired, as nats-server does with a timer. */
    private void refreshAt(Instant expiry) {
        if (!expiries.add(expiry)) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), expiry).toMillis());
        links.scheduler().schedule(() -> {
            lock.lock();
            try {
                expiries.remove(expiry);
                refresh();
            } finally {
                lock.unlock();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private static Optional<JwtExport> privateExportFor(JwtAccountClaims exporter, JwtImport i) {
        String[] wanted = Subjects.tokens(i.subject());
        return exporter.exports().stream().filter(JwtExport::tokenRequired)
                .filter(e -> e.type().equalsIgnoreCase(i.type()))
                .filter(e -> Subjects.isSubset(wanted, Subjects.tokens(e.subject()))).findFirst();
    }

    /** The import's activation token when it lets {@code importer} import the export; logs why when it does not. */
    private Optional<JwtActivationClaims> validActivation(String importer, JwtImport i, JwtAccountClaims exporter,
            JwtExport export) {
        String problem;
        try {
            JwtActivationClaims act = i.activation(importer).orElseThrow();
            if (act.issuerAccount().isPresent() && exporter.signingKey(act.issuer()).isEmpty()) {
                problem = "not issued by the exporting account or one of its signing keys";
            } else if (!act.isValidAt(clock.instant())) {
                problem = "expired";
            } else if (export.isRevoked(importer, act.issuedAt())) {
                problem = "revoked";
            } else {
                return Optional.of(act);
            }
        } catch (JwtException e) {
            problem = e.getMessage();
        }
        LOG.warn("account {}: activation token for the import of {} from {} not accepted: {}", importer, i.subject(),
                i.account(), problem);
        return Optional.empty();
    }

    private AccountConfig toAccountConfig(String account, Optional<JwtAccountClaims> claims) {
        AccountConfig config = AccountConfig.named(account);
        if (claims.isEmpty()) {
            return config;
        }
        for (JwtExport e : claims.get().exports()) {
            List<String> importers = List.of();
            if (e.tokenRequired()) {
                importers = List.copyOf(activated.getOrDefault(account, Map.of()).getOrDefault(e.subject(), Set.of()));
                if (importers.isEmpty()) {
                    continue;
                }
            }
            config = service(e.type())
                    ? config.withServiceExport(new AccountConfig.ServiceExport(e.subject(), importers,
                            e.responseType().isEmpty() || e.responseType().equalsIgnoreCase("singleton")
                                    ? ResponseType.SINGLETON : ResponseType.STREAM))
                    : config.withStreamExport(new AccountConfig.StreamExport(e.subject(), importers));
        }
        for (JwtImport i : claims.get().imports()) {
            try {
                config = service(i.type()) ? config.withServiceImport(new AccountConfig.ServiceImport(i.account(),
                        i.subject(), nonEmpty(i.localSubject()).or(() -> nonEmpty(i.to()))))
                        : config.withStreamImport(new AccountConfig.StreamImport(i.account(), i.subject(),
                                nonEmpty(i.localSubject()).isPresent() ? Optional.empty() : nonEmpty(i.to()),
                                nonEmpty(i.localSubject())));
            } catch (IllegalArgumentException e) {
                LOG.warn("account {}: import of {} from {} ignored: {}", account, i.subject(), i.account(),
                        e.getMessage());
            }
        }
        return config;
    }

    private static boolean service(String type) {
        return type.toLowerCase(Locale.ROOT).equals("service");
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
