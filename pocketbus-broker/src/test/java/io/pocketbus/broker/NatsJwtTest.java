package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.AuthHandler;
import io.nats.client.Nats;
import io.nats.client.support.JwtUtils;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decoding, verifying and issuing NATS JWTs, cross-checked with jnats' {@code JwtUtils}. */
class NatsJwtTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesAndVerifiesUserJwtsIssuedByJnats() throws Exception {
        io.nats.client.NKey account = io.nats.client.NKey.createAccount(RANDOM);
        io.nats.client.NKey user = io.nats.client.NKey.createUser(RANDOM);
        JwtUtils.UserClaim claim = new JwtUtils.UserClaim(new String(account.getPublicKey()))
                .pub(new JwtUtils.Permission().allow("orders.>").deny("orders.secret"))
                .sub(new JwtUtils.Permission().allow("_INBOX.>"))
                .resp(new JwtUtils.ResponsePermission().maxMsgs(3).expires(Duration.ofSeconds(5)))
                .bearerToken(true)
                .tags("team-a");
        String token = JwtUtils.issueUserJWT(account, new String(user.getPublicKey()), "alice",
                Duration.ofHours(1), JwtUtils.currentTimeSeconds(), claim);

        JwtUserClaims claims = NatsJwt.decode(token).claims(JwtUserClaims.class);

        assertThat(claims.subject()).isEqualTo(new String(user.getPublicKey()));
        assertThat(claims.issuer()).isEqualTo(new String(account.getPublicKey()));
        assertThat(claims.account()).isEqualTo(new String(account.getPublicKey()));
        assertThat(claims.name()).isEqualTo("alice");
        assertThat(claims.id()).isNotEmpty();
        assertThat(claims.expires()).get().matches(exp -> exp.isAfter(Instant.now().plus(Duration.ofMinutes(59))));
        assertThat(claims.bearerToken()).isTrue();
        assertThat(claims.tags()).containsExactly("team-a");
        assertThat(claims.permissions()).isEqualTo(new Permissions(
                new SubjectPermission(List.of("orders.>"), List.of("orders.secret")),
                new SubjectPermission(List.of("_INBOX.>"), List.of()),
                Optional.of(new ResponsePermission(3, Duration.ofSeconds(5)))));
        assertThat(claims.isValidAt(Instant.now())).isTrue();
        assertThat(claims.isValidAt(Instant.now().plus(Duration.ofHours(2)))).isFalse();
    }

    @Test
    void issuesUserJwtsThatJnatsReadsAndWeVerify() throws Exception {
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey signingKey = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        Permissions permissions = new Permissions(new SubjectPermission(List.of("a.>"), List.of()),
                new SubjectPermission(List.of("b.*"), List.of("b.x")), Optional.empty());
        JwtUserClaims claims = JwtUserClaims.builder(user.publicKey()).name("svc")
                .issuerAccount(account.publicKey()).expires(now.plus(Duration.ofDays(1)))
                .permissions(permissions).limits(JwtLimits.UNLIMITED.withPayload(1024)).build();

        String token = NatsJwt.issue(claims, signingKey, Clock.fixed(now, ZoneOffset.UTC));

        JsonNode body = JSON.readTree(JwtUtils.getClaimBody(token));
        assertThat(body.path("sub").asText()).isEqualTo(user.publicKey());
        assertThat(body.path("iss").asText()).isEqualTo(signingKey.publicKey());
        assertThat(body.path("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(body.path("nats").path("type").asText()).isEqualTo("user");
        assertThat(body.path("nats").path("version").asInt()).isEqualTo(2);
        assertThat(body.path("nats").path("issuer_account").asText()).isEqualTo(account.publicKey());
        assertThat(body.path("jti").asText()).hasSize(52);

        String[] parts = token.split("\\.");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}");
        io.nats.client.NKey jnatsVerifier = io.nats.client.NKey.fromPublicKey(signingKey.publicKey().toCharArray());
        assertThat(jnatsVerifier.verify((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JwtUserClaims decoded = NatsJwt.decode(token).claims(JwtUserClaims.class);
        assertThat(decoded.account()).isEqualTo(account.publicKey());
        assertThat(decoded.permissions()).isEqualTo(permissions);
        assertThat(decoded.limits().payload()).isEqualTo(1024);
        assertThat(decoded.expires()).contains(now.plus(Duration.ofDays(1)));
        assertThat(decoded.issuedAt()).isEqualTo(now);
    }

    @Test
    void roundTripsAccountAndOperatorClaims() {
        NKey operator = NKey.create(NKey.Type.OPERATOR, RANDOM);
        NKey operatorSigner = NKey.create(NKey.Type.OPERATOR, RANDOM);
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey scoped = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey other = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        Permissions template = new Permissions(new SubjectPermission(List.of("svc.>"), List.of()),
                SubjectPermission.ANY, Optional.of(new ResponsePermission(1, Duration.ZERO)));
        Instant revokedAt = Instant.ofEpochSecond(1_700_000_000);
        JwtAccountClaims claims = JwtAccountClaims.builder(account.publicKey()).name("project-1")
                .signingKeys(List.of(new JwtSigningKey(scoped.publicKey(),
                        Optional.of(new JwtSigningKey.Scope("service", template, JwtLimits.UNLIMITED)))))
                .revocations(Map.of("UABC", revokedAt))
                .limits(JwtLimits.UNLIMITED.withJetStream(-1, 1 << 30))
                .exports(List.of(new JwtExport("api", "api.>", "service", false, "Singleton")))
                .imports(List.of(new JwtImport("feed", "feed.>", other.publicKey(), "in.feed.>", "stream", "")))
                .build();

        JwtAccountClaims decoded = NatsJwt.decode(NatsJwt.issue(claims, operatorSigner)).claims(JwtAccountClaims.class);

        assertThat(decoded.issuer()).isEqualTo(operatorSigner.publicKey());
        assertThat(decoded.name()).isEqualTo("project-1");
        assertThat(decoded.signingKey(scoped.publicKey())).get()
                .satisfies(k -> assertThat(k.scope().orElseThrow().permissions()).isEqualTo(template));
        assertThat(decoded.revocations()).containsEntry("UABC", revokedAt);
        assertThat(decoded.isRevoked("UABC", revokedAt)).isTrue();
        assertThat(decoded.isRevoked("UABC", revokedAt.plusSeconds(1))).isFalse();
        assertThat(decoded.limits().jetStreamEnabled()).isTrue();
        assertThat(decoded.limits().diskStorage()).isEqualTo(1 << 30);
        assertThat(decoded.exports()).containsExactlyElementsOf(claims.exports());
        assertThat(decoded.imports()).containsExactlyElementsOf(claims.imports());

        JwtOperatorClaims op = JwtOperatorClaims.of(operator.publicKey(), "pocketbus",
                List.of(operatorSigner.publicKey()), Optional.of(account.publicKey()));
        JwtOperatorClaims decodedOp = NatsJwt.decode(NatsJwt.issue(op, operator)).claims(JwtOperatorClaims.class);
        assertThat(decodedOp.subject()).isEqualTo(operator.publicKey()).isEqualTo(decodedOp.issuer());
        assertThat(decodedOp.signingKeys()).containsExactly(operatorSigner.publicKey());
        assertThat(decodedOp.systemAccount()).contains(account.publicKey());
    }

    @Test
    void wildcardRevocationRevokesEveryUserIssuedBefore() {
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        Instant at = Instant.ofEpochSecond(1_000);
        JwtAccountClaims claims = JwtAccountClaims.builder(account.publicKey())
                .revocations(Map.of(JwtAccountClaims.ALL_USERS, at)).build();
        assertThat(claims.isRevoked("UANY", at.minusSeconds(5))).isTrue();
        assertThat(claims.isRevoked("UANY", at.plusSeconds(5))).isFalse();
    }

    @Test
    void rejectsTamperedAndMisissuedJwts() {
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        String token = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).name("bob").build(), account);
        String[] parts = token.split("\\.");
        String forgedBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"bob\"", "\"eve\"").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> NatsJwt.decode(parts[0] + "." + forgedBody + "." + parts[2]))
                .isInstanceOf(JwtException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> NatsJwt.decode(parts[0] + "." + parts[1])).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> NatsJwt.decode("a.b.c")).isInstanceOf(JwtException.class);

        NKey anotherUser = NKey.create(NKey.Type.USER, RANDOM);
        String selfSignedUser = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), anotherUser);
        assertThatThrownBy(() -> NatsJwt.decode(selfSignedUser)).hasMessageContaining("cannot be issued");
        assertThatThrownBy(() -> NatsJwt.decode(token).claims(JwtAccountClaims.class)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(),
                NKey.fromPublicKey(account.publicKey()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credsFilesRoundTripWithJnats() throws Exception {
        NKey account = NKey.create(NKey.Type.ACCOUNT, RANDOM);
        NKey user = NKey.create(NKey.Type.USER, RANDOM);
        String jwt = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), account);
        CredsFile creds = new CredsFile(jwt, user.seed().orElseThrow());

        String rendered = creds.render();
        assertThat(rendered).isEqualTo(String.format(JwtUtils.NATS_USER_JWT_FORMAT, jwt, user.seed().orElseThrow()));
        AuthHandler handler = Nats.staticCredentials(rendered.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(handler.getJWT())).isEqualTo(jwt);
        assertThat(user.verifyNonce("nonce", Base64.getUrlEncoder().encodeToString(handler.sign("nonce".getBytes(StandardCharsets.UTF_8))))).isTrue();

        assertThat(CredsFile.parse(rendered)).isEqualTo(creds);
        assertThat(CredsFile.parse(rendered.replace("\n", "\r\n"))).isEqualTo(creds);
        assertThat(creds.toString()).doesNotContain(user.seed().orElseThrow());
        assertThatThrownBy(() -> CredsFile.parse("-----BEGIN NATS USER JWT-----\nabc\n------END NATS USER JWT------\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
