package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.support.JwtUtils;
import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.AuthenticationException.Reason;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator mode: the operator → account → user chain of trust, revocations, expiry and restrictions. */
class OperatorAuthenticatorTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Permissions ORDERS = new Permissions(
            new SubjectPermission(List.of("orders.>"), List.of()), new SubjectPermission(List.of("_INBOX.>"), List.of()),
            Optional.empty());

    private final NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
    private final NKey operatorSigner = NKey.create(NKey.Type.OPERATOR, RANDOM);
    private final NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final NKey accountSigner = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final NKey scopedSigner = NKey.create(NKey.Type.ACCOUNT, RANDOM);
    private final NKey user = NKey.create(NKey.Type.USER, RANDOM);
    private final String operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op",
            List.of(operatorSigner.publicKey()), Optional.empty()), operator);

    private JwtAccountClaims.Builder accountClaims() {
        return JwtAccountClaims.builder(account.publicKey()).name("project")
                .signingKeys(List.of(JwtSigningKey.unscoped(accountSigner.publicKey()),
                        new JwtSigningKey(scopedSigner.publicKey(), Optional.of(
                                new JwtSigningKey.Scope("reader", ORDERS, JwtLimits.UNLIMITED)))));
    }

    private JwtMemoryResolver resolver(JwtAccountClaims claims) {
        return JwtMemoryResolver.preloaded(List.of(NatsJwt.issue(claims, operatorSigner)));
    }

    private OperatorAuthenticator authenticator(JwtAccountResolver resolver) {
        return OperatorAuthenticator.builder().trustedOperator(operatorJwt).resolver(resolver).build();
    }

    private OperatorAuthenticator authenticator() {
        return authenticator(resolver(accountClaims().build()));
    }

    private String userJwt(JwtUserClaims.Builder claims, NKey signer) {
        return NatsJwt.issue(claims.build(), signer);
    }

    @Test
    void grantsTheAccountAndPermissionsOfAUserSignedByTheAccount() {
        Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()).permissions(ORDERS).expires(exp)
                .limits(JwtLimits.UNLIMITED.withPayload(4096)), account);

        Grant grant = authenticator().authenticate(Attempts.jwt(jwt, user));

        assertThat(grant).isEqualTo(new Grant(account.publicKey(), user.publicKey(), ORDERS, Optional.of(exp), Optional.of(4096)));
    }

    @Test
    void subscriptionLimitsOfTheJwtsReachTheGrant() {
        JwtLimits accountLimits = new JwtLimits(10, -1, -1, -1, -1, true, 3, -1, 0, 0, 0, 0, false);
        JwtLimits userLimits = new JwtLimits(4, -1, -1, -1, -1, true, -1, -1, 0, 0, 0, 0, false);
        OperatorAuthenticator auth = authenticator(resolver(accountClaims().limits(accountLimits).build()));

        Grant limited = auth.authenticate(Attempts.jwt(userJwt(JwtUserClaims.builder(user.publicKey())
                .limits(userLimits), account), user));
        Grant byAccount = auth.authenticate(Attempts.jwt(userJwt(JwtUserClaims.builder(user.publicKey()), account),
                user));

        assertThat(limited.maxSubscriptions()).contains(4);
        assertThat(byAccount.maxSubscriptions()).contains(10);
        assertThat(byAccount.accountMaxConnections()).contains(3);
        assertThat(authenticator().authenticate(Attempts.jwt(userJwt(JwtUserClaims.builder(user.publicKey()),
                account), user)).maxSubscriptions()).isEmpty();
    }

    @Test
    void acceptsUserJwtsIssuedByJnats() throws Exception {
        io.nats.client.NKey jAccount = io.nats.client.NKey.fromSeed(account.seed().orElseThrow().toCharArray());
        String jwt = JwtUtils.issueUserJWT(jAccount, account.publicKey(), user.publicKey(), "jnats-user");

        assertThat(authenticator().authenticate(Attempts.jwt(jwt, user)).account()).isEqualTo(account.publicKey());
    }

    @Test
    void signingKeysAndScopedTemplates() {
        OperatorAuthenticator auth = authenticator();
        String bySigner = userJwt(JwtUserClaims.builder(user.publicKey()).issuerAccount(account.publicKey()), accountSigner);
        Grant grant = auth.authenticate(Attempts.jwt(bySigner, user));
        assertThat(grant.account()).isEqualTo(account.publicKey());
        assertThat(grant.permissions()).isEqualTo(Permissions.ALL);

        String byScoped = userJwt(JwtUserClaims.builder(user.publicKey()).issuerAccount(account.publicKey()), scopedSigner);
        assertThat(auth.authenticate(Attempts.jwt(byScoped, user)).permissions()).isEqualTo(ORDERS);

        NKey stranger = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        String byStranger = userJwt(JwtUserClaims.builder(user.publicKey()).issuerAccount(account.publicKey()), stranger);
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(byStranger, user))).hasMessageContaining("issuer is not known");
        String unknownAccount = userJwt(JwtUserClaims.builder(user.publicKey()), stranger);
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(unknownAccount, user))).hasMessageContaining("not found");
    }

    @Test
    void scopedTemplatesAreFilledInPerUser() {
        NKey templated = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        Permissions template = new Permissions(
                new SubjectPermission(List.of("users.{{name()}}.>", "teams.{{tag(team)}}.>", "acct.{{account-name()}}"),
                        List.of("users.{{subject()}}.secret")),
                new SubjectPermission(List.of("_INBOX_{{name()}}.>", "missing.{{tag(nope)}}"), List.of()),
                Optional.empty());
        OperatorAuthenticator auth = authenticator(resolver(accountClaims().signingKeys(List.of(new JwtSigningKey(
                templated.publicKey(), Optional.of(new JwtSigningKey.Scope("member", template, JwtLimits.UNLIMITED)))))
                .build()));
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()).name("alice").issuerAccount(account.publicKey())
                .tags(List.of("team:red", "team:blue")), templated);

        Permissions granted = auth.authenticate(Attempts.jwt(jwt, user)).permissions();

        assertThat(granted.publish().allow()).containsExactly("users.alice.>", "teams.red.>", "teams.blue.>", "acct.project");
        assertThat(granted.publish().deny()).containsExactly("users." + user.publicKey() + ".secret");
        assertThat(granted.subscribe().allow()).containsExactly("_INBOX_alice.>");

        Permissions strictDeny = new Permissions(SubjectPermission.ANY,
                new SubjectPermission(List.of(), List.of("x.{{tag(nope)}}")), Optional.empty());
        OperatorAuthenticator refusing = authenticator(resolver(accountClaims().signingKeys(List.of(new JwtSigningKey(
                templated.publicKey(), Optional.of(new JwtSigningKey.Scope("r", strictDeny, JwtLimits.UNLIMITED)))))
                .build()));
        assertThatThrownBy(() -> refusing.authenticate(Attempts.jwt(jwt, user))).hasMessageContaining("invalid permissions");

        Permissions emptied = new Permissions(new SubjectPermission(List.of("x.{{tag(nope)}}"), List.of()),
                SubjectPermission.ANY, Optional.empty());
        OperatorAuthenticator emptiedAuth = authenticator(resolver(accountClaims().signingKeys(List.of(new JwtSigningKey(
                templated.publicKey(), Optional.of(new JwtSigningKey.Scope("e", emptied, JwtLimits.UNLIMITED)))))
                .build()));
        assertThat(emptiedAuth.authenticate(Attempts.jwt(jwt, user)).permissions().publish())
                .isEqualTo(new SubjectPermission(List.of(), List.of(">")));
    }

    @Test
    void responsePermissionsWithoutPublishAllowLeaveOnlyResponses() {
        Permissions respOnly = new Permissions(SubjectPermission.ANY, new SubjectPermission(List.of("svc.>"), List.of()),
                Optional.of(new Permissions.ResponsePermission(0, java.time.Duration.ZERO)));
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()).permissions(respOnly), account);
        assertThat(authenticator().authenticate(Attempts.jwt(jwt, user)).permissions()).isEqualTo(new Permissions(
                new SubjectPermission(List.of(), List.of(">")), new SubjectPermission(List.of("svc.>"), List.of()),
                Optional.of(Permissions.DEFAULT_RESPONSES)));
    }

    @Test
    void strictSigningKeyUsageRefusesAccountsSignedByTheOperatorItself() {
        String strictOperator = NatsJwt.issue(new JwtOperatorClaims("", Instant.EPOCH, "", operator.publicKey(), "op",
                Optional.empty(), Optional.empty(), List.of(operatorSigner.publicKey()), Optional.empty(),
                Optional.empty(), true), operator);
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        OperatorAuthenticator bySigner = OperatorAuthenticator.builder().trustedOperator(strictOperator)
                .resolver(resolver(accountClaims().build())).build();
        assertThat(bySigner.authenticate(Attempts.jwt(jwt, user)).account()).isEqualTo(account.publicKey());
        OperatorAuthenticator byOperator = OperatorAuthenticator.builder().trustedOperator(strictOperator)
                .resolver(JwtMemoryResolver.preloaded(List.of(NatsJwt.issue(accountClaims().build(), operator)))).build();
        assertThatThrownBy(() -> byOperator.authenticate(Attempts.jwt(jwt, user))).hasMessageContaining("signing key");
    }

    @Test
    void nonceSignatureUnlessBearer() {
        OperatorAuthenticator auth = authenticator();
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        NKey other = NKey.create(NKey.Type.USER, RANDOM);

        assertThat(auth.requiresNonce()).isTrue();
        assertThatThrownBy(() -> auth.authenticate(Attempts.bearer(jwt))).hasMessageContaining("signature missing");
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(jwt, other))).hasMessageContaining("signature not verified");
        assertThatThrownBy(() -> auth.authenticate(Attempts.none())).hasMessageContaining("requires a user JWT");
        assertThatThrownBy(() -> auth.authenticate(Attempts.bearer("garbage"))).hasMessageContaining("not valid");

        String bearer = userJwt(JwtUserClaims.builder(user.publicKey()).bearerToken(true), account);
        assertThat(auth.authenticate(Attempts.bearer(bearer)).identity()).isEqualTo(user.publicKey());

        OperatorAuthenticator noBearer = authenticator(resolver(accountClaims()
                .limits(JwtLimits.UNLIMITED.withBearerDisallowed()).build()));
        assertThatThrownBy(() -> noBearer.authenticate(Attempts.bearer(bearer))).hasMessageContaining("bearer");
    }

    @Test
    void expiredUsersAndAccounts() {
        String expired = userJwt(JwtUserClaims.builder(user.publicKey()).expires(Instant.now().minusSeconds(5)), account);
        assertThatThrownBy(() -> authenticator().authenticate(Attempts.jwt(expired, user)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));

        OperatorAuthenticator expiredAccount = authenticator(resolver(accountClaims().expires(Instant.now().minusSeconds(5)).build()));
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        assertThatThrownBy(() -> expiredAccount.authenticate(Attempts.jwt(jwt, user)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));

        Instant accountExp = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        OperatorAuthenticator soon = authenticator(resolver(accountClaims().expires(accountExp).build()));
        assertThat(soon.authenticate(Attempts.jwt(jwt, user)).expiresAt()).contains(accountExp);
    }

    @Test
    void revokedUsersAfterTheAccountJwtIsUpdated() {
        JwtMemoryResolver resolver = resolver(accountClaims().build());
        OperatorAuthenticator auth = authenticator(resolver);
        AtomicInteger changes = new AtomicInteger();
        auth.onCredentialsChanged(changes::incrementAndGet);
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        var attempt = Attempts.jwt(jwt, user);
        assertThat(auth.authenticate(attempt).identity()).isEqualTo(user.publicKey());

        resolver.store(NatsJwt.issue(accountClaims().revocations(Map.of(user.publicKey(), Instant.now().plusSeconds(1))).build(),
                operatorSigner, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2))));

        assertThat(changes).hasValue(1);
        assertThatThrownBy(() -> auth.authenticate(attempt))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
    }

    @Test
    void wildcardRevocationAndDeletedAccounts() {
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        OperatorAuthenticator all = authenticator(resolver(accountClaims()
                .revocations(Map.of(JwtAccountClaims.ALL_USERS, Instant.now().plusSeconds(60))).build()));
        assertThatThrownBy(() -> all.authenticate(Attempts.jwt(jwt, user)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));

        JwtMemoryResolver resolver = resolver(accountClaims().build());
        OperatorAuthenticator auth = authenticator(resolver);
        resolver.delete(account.publicKey());
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(jwt, user)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
    }

    @Test
    void exposesVerifiedAccountClaimsForTheBroker() {
        JwtMemoryResolver resolver = resolver(accountClaims()
                .exports(List.of(new JwtExport("", "svc.>", "service", false, ""))).build());
        OperatorAuthenticator auth = authenticator(resolver);
        assertThat(auth.accountClaims(account.publicKey())).get()
                .satisfies(a -> assertThat(a.exports()).extracting(JwtExport::subject).containsExactly("svc.>"));
        assertThat(auth.accountClaims(NKey.create(NKey.Type.ACCOUNT, RANDOM).publicKey())).isEmpty();
        resolver.delete(account.publicKey());
        assertThat(auth.accountClaims(account.publicKey())).isEmpty();
    }

    @Test
    void accountsMustBeIssuedByATrustedOperator() {
        NKey rogue = NKey.create(NKey.Type.OPERATOR, RANDOM);
        OperatorAuthenticator auth = authenticator(JwtMemoryResolver.preloaded(List.of(NatsJwt.issue(accountClaims().build(), rogue))));
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(jwt, user))).hasMessageContaining("trusted operator");

        OperatorAuthenticator byKey = OperatorAuthenticator.builder().trustedKey(operator.publicKey())
                .resolver(JwtMemoryResolver.preloaded(List.of(NatsJwt.issue(accountClaims().build(), operator)))).build();
        assertThat(byKey.authenticate(Attempts.jwt(jwt, user)).account()).isEqualTo(account.publicKey());
        assertThatThrownBy(() -> OperatorAuthenticator.builder().trustedOperator(jwt)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accountDefaultPermissionsApplyToUsersWithoutTheirOwn() {
        OperatorAuthenticator auth = authenticator(resolver(accountClaims().defaultPermissions(ORDERS).build()));
        String plain = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        assertThat(auth.authenticate(Attempts.jwt(plain, user)).permissions()).isEqualTo(ORDERS);

        Permissions own = new Permissions(new SubjectPermission(List.of("mine"), List.of()), SubjectPermission.ANY, Optional.empty());
        String withOwn = userJwt(JwtUserClaims.builder(user.publicKey()).permissions(own), account);
        assertThat(auth.authenticate(Attempts.jwt(withOwn, user)).permissions()).isEqualTo(own);
    }

    @Test
    void connectionTypesAndSourceNetworks() {
        OperatorAuthenticator auth = authenticator();
        String wsOnly = userJwt(JwtUserClaims.builder(user.publicKey()).allowedConnectionTypes(List.of("WEBSOCKET")), account);
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(wsOnly, user))).hasMessageContaining("connection type");
        assertThat(auth.authenticate(Attempts.over(Attempts.jwt(wsOnly, user), "websocket", "127.0.0.1:9")).identity())
                .isEqualTo(user.publicKey());

        String local = userJwt(JwtUserClaims.builder(user.publicKey()).sourceNetworks(List.of("10.0.0.0/8", "127.0.0.1")), account);
        assertThat(auth.authenticate(Attempts.over(Attempts.jwt(local, user), "tcp", "10.1.2.3:4000")).identity()).isEqualTo(user.publicKey());
        assertThat(auth.authenticate(Attempts.jwt(local, user)).identity()).isEqualTo(user.publicKey());
        assertThatThrownBy(() -> auth.authenticate(Attempts.over(Attempts.jwt(local, user), "tcp", "192.168.1.1:4000")))
                .hasMessageContaining("source address");
        assertThatThrownBy(() -> auth.authenticate(Attempts.over(Attempts.jwt(local, user), "tcp", "[::1]:4000")))
                .hasMessageContaining("source address");
    }

    @Test
    void connectTimesBoundTheGrant() {
        Instant noon = Instant.parse("2026-03-01T12:00:00Z");
        OperatorAuthenticator auth = OperatorAuthenticator.builder().trustedOperator(operatorJwt)
                .resolver(resolver(accountClaims().build())).clock(Clock.fixed(noon, ZoneOffset.UTC)).build();
        String office = NatsJwt.issue(JwtUserClaims.builder(user.publicKey())
                .times(List.of(new JwtTimeRange(LocalTime.of(9, 0), LocalTime.of(17, 0))), Optional.of("UTC")).build(),
                account, Clock.fixed(noon.minusSeconds(60), ZoneOffset.UTC));
        assertThat(auth.authenticate(Attempts.jwt(office, user)).expiresAt()).contains(Instant.parse("2026-03-01T17:00:00Z"));

        String night = NatsJwt.issue(JwtUserClaims.builder(user.publicKey())
                .times(List.of(new JwtTimeRange(LocalTime.of(22, 0), LocalTime.of(6, 0))), Optional.of("UTC")).build(),
                account, Clock.fixed(noon.minusSeconds(60), ZoneOffset.UTC));
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(night, user))).hasMessageContaining("connect times");

        OperatorAuthenticator early = OperatorAuthenticator.builder().trustedOperator(operatorJwt)
                .resolver(resolver(accountClaims().build()))
                .clock(Clock.fixed(Instant.parse("2026-03-02T01:00:00Z"), ZoneOffset.UTC)).build();
        assertThat(early.authenticate(Attempts.jwt(night, user)).expiresAt()).contains(Instant.parse("2026-03-02T06:00:00Z"));
    }

    @Test
    void directoryResolverStoresFetchesAndDeletes(@TempDir Path dir) throws Exception {
        JwtDirectoryResolver resolver = JwtDirectoryResolver.open(dir.resolve("jwt"));
        OperatorAuthenticator auth = authenticator(resolver);
        String jwt = userJwt(JwtUserClaims.builder(user.publicKey()), account);
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(jwt, user))).hasMessageContaining("not found");

        resolver.store(NatsJwt.issue(accountClaims().build(), operatorSigner));
        assertThat(Files.exists(dir.resolve("jwt").resolve(account.publicKey() + ".jwt"))).isTrue();
        assertThat(auth.authenticate(Attempts.jwt(jwt, user)).account()).isEqualTo(account.publicKey());

        String older = NatsJwt.issue(accountClaims().name("older").build(), operatorSigner,
                Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)));
        resolver.store(older);
        assertThat(resolver.fetch(account.publicKey())).get().isNotEqualTo(older);
        assertThat(resolver.fetch("../../etc/passwd")).isEmpty();

        resolver.delete(account.publicKey());
        assertThat(resolver.isDeleted(account.publicKey())).isTrue();
        assertThatThrownBy(() -> auth.authenticate(Attempts.jwt(jwt, user)))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
        assertThatThrownBy(() -> resolver.store("not a jwt")).isInstanceOf(JwtException.class);
    }
}
