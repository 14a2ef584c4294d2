package io.pocketbus.broker;

import io.pocketbus.broker.AccountConfig.ResponseType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In operator mode, the exports and imports of account JWTs: an account's links are defined when a connection
 * first uses it (with the accounts it imports from), and defined again from fresh claims when the resolver's
 * JWTs change. Exports that require an activation token are not offered: tokens are not verified.
 */
final class JwtAccountLinks {
    private static final Logger LOG = LoggerFactory.getLogger(JwtAccountLinks.class);

    private final OperatorAuthenticator operator;
    private final AccountLinks links;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<String> defined = new HashSet<>();

    JwtAccountLinks(OperatorAuthenticator operator, AccountLinks links) {
        this.operator = operator;
        this.links = links;
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
            links.define(toAccountConfig(account, claims));
        } finally {
            lock.unlock();
        }
    }

    /** Defines every account seen so far again, from the resolver's current JWTs. */
    void refresh() {
        lock.lock();
        try {
            for (String account : defined) {
                links.define(toAccountConfig(account, operator.accountClaims(account)));
            }
        } finally {
            lock.unlock();
        }
    }

    static AccountConfig toAccountConfig(String account, Optional<JwtAccountClaims> claims) {
        AccountConfig config = AccountConfig.named(account);
        if (claims.isEmpty()) {
            return config;
        }
        for (JwtExport e : claims.get().exports()) {
            if (e.tokenRequired()) {
                LOG.warn("account {}: export {} requires activation tokens, which this broker does not verify; "
                        + "it is not offered", account, e.subject());
                continue;
            }
            config = service(e.type())
                    ? config.withServiceExport(new AccountConfig.ServiceExport(e.subject(), List.of(),
                            e.responseType().isEmpty() || e.responseType().equalsIgnoreCase("singleton")
                                    ? ResponseType.SINGLETON : ResponseType.STREAM))
                    : config.withStreamExport(new AccountConfig.StreamExport(e.subject(), List.of()));
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
