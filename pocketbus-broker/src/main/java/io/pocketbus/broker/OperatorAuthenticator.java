package io.pocketbus.broker;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.AuthenticationException.Reason;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.ConnectAttempt;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * nats-server's operator (decentralised JWT) mode. The client presents a user JWT (and, unless it is a bearer
 * token, a signature of the nonce by the user's key). The user's account JWT comes from the resolver; it must
 * be issued by a trusted operator or one of its signing keys, and the user JWT by the account or one of the
 * account's signing keys. Expiry, revocations, connection types, source networks and connect times are
 * checked as nats-server checks them; the grant joins the account named by its public key.
 */
public final class OperatorAuthenticator implements Authenticator {

    private final Set<String> trustedOperators;
    private final Set<String> trustedIssuers;
    private final Set<String> strictOperators;
    private final Optional<String> systemAccount;
    private final JwtAccountResolver resolver;
    private final Clock clock;
    private final boolean accountConnectionLimit;

    private OperatorAuthenticator(Builder b) {
        this.trustedOperators = Set.copyOf(b.operators);
        this.trustedIssuers = Set.copyOf(b.issuers);
        this.strictOperators = Set.copyOf(b.strict);
        this.systemAccount = b.systemAccount;
        this.resolver = b.resolver.orElseThrow(() -> new IllegalArgumentException("operator mode needs a resolver"));
        this.clock = b.clock;
        this.accountConnectionLimit = b.accountConnectionLimit;
        if (trustedOperators.isEmpty()) {
            throw new IllegalArgumentException("operator mode needs a trusted operator");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The operator public keys trusted. */
    public Set<String> trustedOperators() {
        return trustedOperators;
    }

    /** The system account named by a trusted operator JWT. */
    public Optional<String> systemAccount() {
        return systemAccount;
    }

    public JwtAccountResolver resolver() {
        return resolver;
    }

    /** The clock JWT validity is judged by. */
    Clock clock() {
        return clock;
    }

    /**
     * The verified claims of an account that the resolver holds and a trusted operator issued, and that has
     * neither expired nor been deleted: its exports, imports and limits, for the broker to apply.
     */
    public Optional<JwtAccountClaims> accountClaims(String accountPublicKey) {
        try {
            return Optional.of(account(accountPublicKey, clock.instant()));
        } catch (AuthenticationException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean requiresNonce() {
        return true;
    }

    @Override
    public void onCredentialsChanged(Runnable listener) {
        resolver.onUpdate(listener);
    }

    @Override
    public Grant authenticate(ConnectAttempt attempt) {
        Instant now = clock.instant();
        String token = attempt.jwt().orElseThrow(() -> new AuthenticationException("authentication requires a user JWT"));
        JwtUserClaims user;
        try {
            user = NatsJwt.decode(token).claims(JwtUserClaims.class);
        } catch (JwtException e) {
            throw new AuthenticationException("user JWT not valid: " + e.getMessage());
        }
        if (user.expires().map(exp -> !now.isBefore(exp)).orElse(false)) {
            throw new AuthenticationException(Reason.EXPIRED, "user JWT has expired: " + user.subject());
        }
        if (!user.isValidAt(now)) {
            throw new AuthenticationException("user JWT is not valid yet: " + user.subject());
        }
        JwtAccountClaims account = account(user.account(), now);
        Permissions permissions = user.permissions();
        JwtLimits limits = user.limits();
        if (!user.issuer().equals(account.subject())) {
            JwtSigningKey key = account.signingKey(user.issuer()).orElseThrow(
                    () -> new AuthenticationException("user JWT issuer is not known: " + user.issuer()));
            if (key.scope().isPresent()) {
                try {
                    permissions = JwtScopeTemplate.apply(key.scope().get().permissions(), user, account);
                } catch (JwtException e) {
                    throw new AuthenticationException("user JWT generated invalid permissions: " + e.getMessage());
                }
                limits = key.scope().get().limits();
            }
        } else if (user.issuerAccount().filter(a -> !a.equals(account.subject())).isPresent()) {
            throw new AuthenticationException("user JWT issuer_account does not match its issuer");
        }
        if (user.bearerToken() && account.limits().disallowBearer()) {
            throw new AuthenticationException("account does not allow bearer tokens: " + account.subject());
        }
        if (!ConfigUser.connectionTypeAllowed(user.allowedConnectionTypes(), attempt.transport())) {
            throw new AuthenticationException("connection type not allowed for " + user.subject());
        }
        if (!user.bearerToken()) {
            verifyNonce(attempt, user.subject());
        }
        if (account.isRevoked(user.subject(), user.issuedAt())) {
            throw new AuthenticationException(Reason.REVOKED, "user authentication revoked: " + user.subject());
        }
        if (!JwtSourceNetworks.allows(user.sourceNetworks(), attempt.remoteAddress())) {
            throw new AuthenticationException("bad source address " + attempt.remoteAddress() + " for " + user.subject());
        }
        ConnectWindow window = connectWindow(user, now);
        if (!window.allowed()) {
            throw new AuthenticationException("outside connect times for " + user.subject());
        }
        if (permissions.equals(Permissions.ALL)) {
            permissions = account.defaultPermissions();
        }
        Optional<Instant> expiresAt = Stream.of(user.expires(), account.expires(), window.until())
                .flatMap(Optional::stream).min(Instant::compareTo);
        Grant grant = new Grant(account.subject(), user.subject(), permissions.normalized(), expiresAt,
                maxPayload(limits, account.limits()));
        Optional<Integer> subs = Stream.of(limits.subs(), account.limits().subs()).filter(n -> n >= 0)
                .min(Long::compare).map(OperatorAuthenticator::toInt);
        Grant limited = subs.map(grant::withMaxSubscriptions).orElse(grant);
        long conn = account.limits().conn();
        return accountConnectionLimit && conn >= 0 ? limited.withAccountMaxConnections(toInt(conn)) : limited;
    }

    private static int toInt(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private JwtAccountClaims account(String accountKey, Instant now) {
        if (resolver.isDeleted(accountKey)) {
            throw new AuthenticationException(Reason.REVOKED, "account was deleted: " + accountKey);
        }
        String jwt = resolver.fetch(accountKey)
                .orElseThrow(() -> new AuthenticationException("account JWT not found: " + accountKey));
        JwtAccountClaims account;
        try {
            account = NatsJwt.decode(jwt).claims(JwtAccountClaims.class);
        } catch (JwtException e) {
            throw new AuthenticationException("account JWT not valid: " + e.getMessage());
        }
        if (!account.subject().equals(accountKey)) {
            throw new AuthenticationException("account JWT is for another account: " + account.subject());
        }
        if (!trustedIssuers.contains(account.issuer())) {
            throw new AuthenticationException("account JWT not signed by a trusted operator: " + accountKey);
        }
        if (strictOperators.contains(account.issuer())) {
            throw new AuthenticationException("operator requires accounts signed by a signing key: " + accountKey);
        }
        if (!account.isValidAt(now)) {
            throw new AuthenticationException(Reason.EXPIRED, "account JWT has expired: " + accountKey);
        }
        for (JwtImport i : account.imports()) {
            try {
                i.activation(accountKey);
            } catch (JwtException e) {
                throw new AuthenticationException("account JWT not valid: " + e.getMessage());
            }
        }
        return account;
    }

    private static void verifyNonce(ConnectAttempt attempt, String userKey) {
        String nonce = attempt.nonce().orElseThrow(() -> new AuthenticationException("no nonce was sent"));
        String sig = attempt.signature().orElseThrow(() -> new AuthenticationException("signature missing"));
        if (!NKey.fromPublicKey(userKey).verifyNonce(nonce, sig)) {
            throw new AuthenticationException("signature not verified for " + userKey);
        }
    }

    private static Optional<Integer> maxPayload(JwtLimits user, JwtLimits account) {
        return Stream.of(user.payload(), account.payload()).filter(p -> p > 0).min(Long::compare)
                .map(p -> (int) Math.min(p, Integer.MAX_VALUE));
    }

    private record ConnectWindow(boolean allowed, Optional<Instant> until) {
    }

    /** nats-server's {@code times}: connecting is allowed inside a daily window, and only until it ends. */
    private static ConnectWindow connectWindow(JwtUserClaims user, Instant now) {
        if (user.times().isEmpty()) {
            return new ConnectWindow(true, Optional.empty());
        }
        ZoneId zone;
        try {
            zone = user.timesLocation().map(ZoneId::of).orElse(ZoneId.systemDefault());
        } catch (DateTimeException e) {
            return new ConnectWindow(false, Optional.empty());
        }
        ZonedDateTime local = now.atZone(zone);
        for (JwtTimeRange range : user.times()) {
            boolean wraps = range.end().isBefore(range.start());
            for (int startDay = wraps ? -1 : 0; startDay <= 0; startDay++) {
                ZonedDateTime start = local.toLocalDate().plusDays(startDay).atTime(range.start()).atZone(zone);
                ZonedDateTime end = local.toLocalDate().plusDays(startDay + (wraps ? 1 : 0)).atTime(range.end()).atZone(zone);
                if (!start.isAfter(local) && end.isAfter(local)) {
                    return new ConnectWindow(true, Optional.of(end.toInstant()));
                }
            }
        }
        return new ConnectWindow(false, Optional.empty());
    }

    /** Collects the trusted operators and the resolver. */
    public static final class Builder {
        private final List<String> operators = new ArrayList<>();
        private final Set<String> issuers = new HashSet<>();
        private final Set<String> strict = new HashSet<>();
        private Optional<String> systemAccount = Optional.empty();
        private Optional<JwtAccountResolver> resolver = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private boolean accountConnectionLimit = true;

        private Builder() {
        }

        /**
         * Trusts an operator JWT ({@code operator:} in the configuration): its key and its signing keys may
         * issue accounts. It must be self-signed or signed by one of its own signing keys.
         */
        public Builder trustedOperator(String operatorJwt) {
            JwtOperatorClaims op;
            try {
                op = NatsJwt.decode(operatorJwt).claims(JwtOperatorClaims.class);
            } catch (JwtException e) {
                throw new IllegalArgumentException("operator JWT not valid: " + e.getMessage(), e);
            }
            if (!op.issuer().equals(op.subject()) && !op.signingKeys().contains(op.issuer())) {
                throw new IllegalArgumentException("operator JWT is not signed by the operator: " + op.subject());
            }
            operators.add(op.subject());
            issuers.add(op.subject());
            issuers.addAll(op.signingKeys());
            if (op.strictSigningKeyUsage()) {
                strict.add(op.subject());
            }
            if (systemAccount.isEmpty()) {
                systemAccount = op.systemAccount();
            }
            return this;
        }

        /** Trusts an operator public key ({@code trusted_keys}) without its JWT. */
        public Builder trustedKey(String operatorPublicKey) {
            if (!NKey.isValidPublicKey(operatorPublicKey, NKey.Type.OPERATOR)) {
                throw new IllegalArgumentException("not an operator public key: " + operatorPublicKey);
            }
            operators.add(operatorPublicKey);
            issuers.add(operatorPublicKey);
            return this;
        }

        public Builder resolver(JwtAccountResolver resolver) {
            this.resolver = Optional.of(resolver);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Whether grants carry the account JWT's {@code conn} limit (the default, as nats-server). A host that
         * exempts its own internal users from that limit turns this off and applies it itself.
         */
        public Builder accountConnectionLimit(boolean enforced) {
            this.accountConnectionLimit = enforced;
            return this;
        }

        public OperatorAuthenticator build() {
            return new OperatorAuthenticator(this);
        }
    }
}
