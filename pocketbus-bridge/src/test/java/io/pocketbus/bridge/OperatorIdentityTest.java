package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.JwtAccountClaims;
import io.pocketbus.broker.JwtOperatorClaims;
import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NKey;
import io.pocketbus.broker.NatsJwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void createsTheKeysOnceWithOwnerOnlyPermissionsAndLoadsThemLater() throws Exception {
        OperatorIdentity first = OperatorIdentity.loadOrCreate(dataDir);
        Path nats = dataDir.resolve("nats");
        assertThat(first.directory()).isEqualTo(nats);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nats))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(nats)) {
            assertThat(files.filter(Files::isRegularFile)).isNotEmpty().allSatisfy(f -> assertThat(
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------"));
        }
        assertThat(Files.readString(nats.resolve("operator.nk")).trim()).startsWith("SO");
        assertThat(Files.readString(nats.resolve("system-account.nk")).trim()).startsWith("SA");

        OperatorIdentity again = OperatorIdentity.loadOrCreate(dataDir);
        assertThat(again.operatorPublicKey()).isEqualTo(first.operatorPublicKey());
        assertThat(again.systemAccountPublicKey()).isEqualTo(first.systemAccountPublicKey());
        assertThat(again.appAccountPublicKey()).isEqualTo(first.appAccountPublicKey());
        assertThat(again.appAccountPublicKey()).isNotEqualTo(again.systemAccountPublicKey());
    }

    @Test
    void operatorJwtNamesTheSystemAccountAndItsSigningKeySignsTheAccounts() {
        OperatorIdentity id = OperatorIdentity.loadOrCreate(dataDir);
        JwtOperatorClaims op = NatsJwt.decode(id.operatorJwt()).claims(JwtOperatorClaims.class);
        assertThat(op.subject()).isEqualTo(id.operatorPublicKey()).isEqualTo(op.issuer());
        assertThat(op.systemAccount()).contains(id.systemAccountPublicKey());
        assertThat(op.signingKeys()).hasSize(1);

        JwtAccountClaims sys = NatsJwt.decode(id.systemAccountJwt()).claims(JwtAccountClaims.class);
        JwtAccountClaims app = NatsJwt.decode(id.appAccountJwt()).claims(JwtAccountClaims.class);
        assertThat(sys.subject()).isEqualTo(id.systemAccountPublicKey());
        assertThat(app.subject()).isEqualTo(id.appAccountPublicKey());
        assertThat(sys.issuer()).isEqualTo(app.issuer()).isEqualTo(op.signingKeys().get(0));
        assertThat(app.limits().jetStreamEnabled()).isTrue();
    }

    @Test
    void appCredentialsAreAUserOfTheAppAccount() throws Exception {
        OperatorIdentity id = OperatorIdentity.loadOrCreate(dataDir);
        CredsFile creds = CredsFile.parse(id.appCredentials().render());
        JwtUserClaims user = NatsJwt.decode(creds.jwt()).claims(JwtUserClaims.class);
        assertThat(user.account()).isEqualTo(id.appAccountPublicKey());
        assertThat(NKey.fromSeed(creds.seed()).publicKey()).isEqualTo(user.subject());
        assertThat(id.toString()).contains(id.operatorPublicKey())
                .doesNotContain(Files.readString(dataDir.resolve("nats/operator.nk")).trim());
    }
}
