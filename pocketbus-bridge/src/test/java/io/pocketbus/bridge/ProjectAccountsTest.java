package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.JwtAccountClaims;
import io.pocketbus.broker.JwtOperatorClaims;
import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NKey;
import io.pocketbus.broker.NatsJwt;
import io.pocketbus.broker.spi.Permissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ProjectAccounts signs, stores and lists, without a broker. */
class ProjectAccountsTest {

    @TempDir
    Path dataDir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock();
    private ProjectAccounts accounts;

    @BeforeEach
    void open() {
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
    }

    private JwtAccountClaims accountClaims(String projectId) {
        String key = accounts.accountPublicKey(projectId).orElseThrow();
        return NatsJwt.decode(accounts.resolverPreload().get(key)).claims(JwtAccountClaims.class);
    }

    @Test
    void theAccountJwtCarriesTheProjectsLimitsAndIsSignedByTheOperatorSigningKey() throws Exception {
        ProjectLimits limits = new ProjectLimits(10, 4096, 1 << 20, 1 << 30, 5, 50);
        String key = accounts.provision("p1", limits);
        assertThat(NKey.isValidPublicKey(key, NKey.Type.ACCOUNT)).isTrue();

        JwtAccountClaims claims = accountClaims("p1");
        assertThat(claims.subject()).isEqualTo(key);
        assertThat(claims.name()).isEqualTo("p1");
        JwtOperatorClaims operator = NatsJwt.decode(accounts.identity().operatorJwt()).claims(JwtOperatorClaims.class);
        assertThat(operator.signingKeys()).containsExactly(claims.issuer());
        assertThat(claims.limits().conn()).isEqualTo(10);
        assertThat(claims.limits().payload()).isEqualTo(4096);
        assertThat(claims.limits().memStorage()).isEqualTo(1 << 20);
        assertThat(claims.limits().diskStorage()).isEqualTo(1 << 30);
        assertThat(claims.limits().streams()).isEqualTo(5);
        assertThat(claims.limits().consumer()).isEqualTo(50);
        assertThat(claims.signingKeys()).hasSize(1);

        accounts.updateLimits("p1", limits.withMaxConnections(3));
        assertThat(accountClaims("p1").limits().conn()).isEqualTo(3);
        assertThat(accounts.limits("p1")).contains(limits.withMaxConnections(3));
        assertThat(accounts.provision("p1", ProjectLimits.UNLIMITED)).isEqualTo(key);
        assertThat(accountClaims("p1").limits().conn()).isEqualTo(-1);

        Path file = dataDir.resolve("nats/projects/p1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void memberCredentialsAreShortLivedUsersOfTheProjectAccountWithTheirRolesPermissions() {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential issued = accounts.issueMemberCredentials("p1", "user123", ProjectRole.VIEWER);
        JwtUserClaims user = NatsJwt.decode(issued.jwt()).claims(JwtUserClaims.class);

        assertThat(user.account()).isEqualTo(accounts.accountPublicKey("p1").orElseThrow());
        assertThat(user.issuer()).isNotEqualTo(user.account());
        assertThat(user.name()).isEqualTo("user123");
        assertThat(user.subject()).isEqualTo(issued.info().id()).isEqualTo(NKey.fromSeed(issued.seed()).publicKey());
        assertThat(user.expires()).contains(user.issuedAt().plus(ProjectAccounts.DEFAULT_MEMBER_TTL));
        assertThat(user.permissions()).isEqualTo(ProjectRole.VIEWER.permissions());
        assertThat(issued.info().kind()).isEqualTo(CredentialInfo.Kind.MEMBER);
        assertThat(issued.info().role()).contains(ProjectRole.VIEWER);
        assertThat(issued.toString()).doesNotContain(issued.seed());
    }

    @Test
    void serviceCredentialsCarryTheirScopeAndExpiryAndRenderAsACredsFile() {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        CredentialScope scope = CredentialScope.builder().publish(List.of("a.>"), List.of("a.b"))
                .subscribe(List.of("c.*"), List.of()).allowResponses(true).build();
        Instant expires = Instant.ofEpochSecond(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
        IssuedCredential issued = accounts.createServiceCredential("p1", "billing", scope, Optional.of(expires));

        CredsFile creds = CredsFile.parse(issued.credsFile());
        assertThat(creds.jwt()).isEqualTo(issued.jwt());
        assertThat(creds.seed()).isEqualTo(issued.seed());
        JwtUserClaims user = NatsJwt.decode(creds.jwt()).claims(JwtUserClaims.class);
        assertThat(user.expires()).contains(expires);
        IssuedCredential fractional = accounts.createServiceCredential("p1", "billing2", scope, Optional.of(expires.plusMillis(700)));
        assertThat(fractional.info().expires()).contains(expires);
        assertThat(NatsJwt.decode(fractional.jwt()).claims(JwtUserClaims.class).expires()).contains(expires);
        assertThat(user.permissions().publish().allow()).containsExactly("a.>");
        assertThat(user.permissions().publish().deny()).containsExactly("a.b");
        assertThat(user.permissions().subscribe().allow()).containsExactly("c.*");
        assertThat(user.permissions().responses()).contains(Permissions.DEFAULT_RESPONSES);

        assertThat(CredentialScope.builder().build().toPermissions().publish().deny()).containsExactly(">");
        assertThatThrownBy(() -> accounts.createServiceCredential("p1", "late", scope, Optional.of(clock.instant().minusSeconds(1))))
                .isInstanceOf(ProjectAccountException.class);
        assertThatThrownBy(() -> CredentialScope.builder().publish(List.of("a..b"), List.of()).build())
                .isInstanceOf(ProjectAccountException.class).hasMessageContaining("Invalid subject");
    }

    @Test
    void listingNeverReturnsSeedsAndDropsExpiredCredentials() throws Exception {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential member = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        IssuedCredential service = accounts.createServiceCredential("p1", "svc", CredentialScope.FULL, Optional.empty());

        assertThat(accounts.listCredentials("p1")).extracting(CredentialInfo::id)
                .containsExactlyInAnyOrder(member.info().id(), service.info().id());
        String stored = Files.readString(dataDir.resolve("nats/projects/p1.json"));
        assertThat(stored).doesNotContain(member.seed()).doesNotContain(service.seed());

        clock.advance(ProjectAccounts.DEFAULT_MEMBER_TTL);
        assertThat(accounts.listCredentials("p1")).extracting(CredentialInfo::id).containsExactly(service.info().id());
    }

    @Test
    void revocationIsWrittenIntoTheAccountJwtAndKeptUntilTheCredentialExpires() {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential member = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        IssuedCredential other = accounts.issueMemberCredentials("p1", "u2", ProjectRole.MEMBER);

        assertThat(accounts.revokeMember("p1", "u1")).isEqualTo(1);
        JwtAccountClaims claims = accountClaims("p1");
        assertThat(claims.revocations()).containsOnlyKeys(member.info().id());
        assertThat(claims.isRevoked(member.info().id(), member.info().issuedAt())).isTrue();
        assertThat(claims.isRevoked(other.info().id(), other.info().issuedAt())).isFalse();
        assertThat(accounts.revoke("p1", "UNKNOWN")).isFalse();

        clock.advance(ProjectAccounts.DEFAULT_MEMBER_TTL.plusSeconds(1));
        accounts.issueMemberCredentials("p1", "u3", ProjectRole.MEMBER);
        assertThat(accountClaims("p1").revocations()).isEmpty();
    }

    @Test
    void aRestartKeepsServiceCredentialsRevocationsAndWhatRevokesAMembersCredentials() {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential member = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        IssuedCredential service = accounts.createServiceCredential("p1", "svc", CredentialScope.FULL, Optional.empty());
        IssuedCredential revoked = accounts.createServiceCredential("p1", "old", CredentialScope.FULL, Optional.empty());
        assertThat(accounts.revoke("p1", revoked.info().id())).isTrue();
        List<CredentialInfo> before = accounts.listCredentials("p1");

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accounts.listCredentials("p1")).containsExactlyElementsOf(before);
        assertThat(accountClaims("p1").revocations()).containsOnlyKeys(revoked.info().id());
        assertThat(accounts.revokeMember("p1", "u1")).isEqualTo(1);

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accountClaims("p1").revocations()).containsOnlyKeys(revoked.info().id(), member.info().id());
        assertThat(accounts.listCredentials("p1")).filteredOn(c -> c.id().equals(service.info().id()))
                .singleElement().satisfies(c -> assertThat(c.isActive(clock.instant())).isTrue());
    }

    @Test
    void issuingAppendsToTheJournalAndLeavesTheSnapshotAlone() throws Exception {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        Path snapshot = dataDir.resolve("nats/projects/p1.json");
        Path journal = dataDir.resolve("nats/projects/p1.journal");
        String written = Files.readString(snapshot);
        IssuedCredential first = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        accounts.issueMemberCredentials("p1", "u2", ProjectRole.VIEWER);

        assertThat(Files.readString(snapshot)).isEqualTo(written);
        assertThat(Files.readAllLines(journal)).hasSize(2).first().asString().contains(first.info().id())
                .doesNotContain(first.seed());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal))).isEqualTo("rw-------");
    }

    @Test
    void theJournalIsFoldedIntoTheSnapshotOnceMostOfItHasExpired() throws Exception {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        for (int i = 0; i < 1100; i++) {
            accounts.issueMemberCredentials("p1", "u" + i, ProjectRole.MEMBER);
        }
        Path journal = dataDir.resolve("nats/projects/p1.journal");
        assertThat(Files.readAllLines(journal)).hasSize(1100);

        clock.advance(ProjectAccounts.DEFAULT_MEMBER_TTL);
        IssuedCredential last = accounts.issueMemberCredentials("p1", "late", ProjectRole.MEMBER);
        assertThat(journal).doesNotExist();
        assertThat(Files.readString(dataDir.resolve("nats/projects/p1.json"))).contains(last.info().id())
                .doesNotContain("\"u0\"");
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accounts.listCredentials("p1")).extracting(CredentialInfo::id).containsExactly(last.info().id());
    }

    @Test
    void aJournalLineTornByACrashIsCutOffWhenLoading() throws Exception {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential kept = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        Path journal = dataDir.resolve("nats/projects/p1.journal");
        Files.writeString(journal, "{\"id\":\"UTORN", java.nio.file.StandardOpenOption.APPEND);

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accounts.listCredentials("p1")).extracting(CredentialInfo::id).containsExactly(kept.info().id());
        IssuedCredential next = accounts.issueMemberCredentials("p1", "u2", ProjectRole.MEMBER);
        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accounts.listCredentials("p1")).extracting(CredentialInfo::id)
                .containsExactly(kept.info().id(), next.info().id());
    }

    @Test
    void aProjectFileWrittenBeforeTheJournalStillLoads() throws Exception {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential service = accounts.createServiceCredential("p1", "svc", CredentialScope.FULL, Optional.empty());
        accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        List<CredentialInfo> listed = accounts.listCredentials("p1");
        // the earlier format: the same fields, pretty-printed, every credential in the project file, no journal
        Path snapshot = dataDir.resolve("nats/projects/p1.json");
        ObjectNode old = (ObjectNode) JSON.readTree(Files.readString(snapshot));
        ArrayNode credentials = old.putArray("credentials");
        for (String line : Files.readAllLines(dataDir.resolve("nats/projects/p1.journal"))) {
            credentials.add(JSON.readTree(line));
        }
        Files.writeString(snapshot, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(old));
        Files.delete(dataDir.resolve("nats/projects/p1.journal"));

        accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir, new SecureRandom(), clock));
        assertThat(accounts.listCredentials("p1")).containsExactlyInAnyOrderElementsOf(listed);
        assertThat(accounts.revoke("p1", service.info().id())).isTrue();
        assertThat(accounts.revokeMember("p1", "u1")).isEqualTo(1);
    }

    @Test
    void theIssuedAtListedIsTheJwts() {
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        IssuedCredential member = accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        JwtUserClaims claims = NatsJwt.decode(member.jwt()).claims(JwtUserClaims.class);
        assertThat(claims.issuedAt()).isEqualTo(member.info().issuedAt());
        assertThat(claims.expires()).isEqualTo(member.info().expires());
    }

    @Test
    void badInputIsRefusedWithAClientError() {
        assertThatThrownBy(() -> accounts.provision("../etc", ProjectLimits.UNLIMITED))
                .isInstanceOfSatisfying(ProjectAccountException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProjectAccountException.Kind.INVALID));
        assertThatThrownBy(() -> accounts.issueMemberCredentials("missing", "u1", ProjectRole.MEMBER))
                .isInstanceOfSatisfying(ProjectAccountException.class,
                        e -> assertThat(e.kind()).isEqualTo(ProjectAccountException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> accounts.updateLimits("missing", ProjectLimits.UNLIMITED))
                .isInstanceOf(ProjectAccountException.class);
        assertThatThrownBy(() -> new ProjectLimits(-2, -1, -1, -1, -1, -1)).isInstanceOf(ProjectAccountException.class);
        accounts.provision("p1", ProjectLimits.UNLIMITED);
        assertThatThrownBy(() -> accounts.issueMemberCredentials("p1", " ", ProjectRole.MEMBER))
                .isInstanceOf(ProjectAccountException.class);
        assertThat(accounts.projectIds()).containsExactly("p1");
    }
}
