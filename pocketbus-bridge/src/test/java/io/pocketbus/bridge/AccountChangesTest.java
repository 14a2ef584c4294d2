package io.pocketbus.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProjectAccounts#onAccountsChanged}: fired when an account JWT changes (what an external resolver must be
 * sent), not when a credential is merely issued, which leaves the account's claims as they were.
 */
class AccountChangesTest {

    @TempDir
    Path dir;

    @Test
    void issuingLeavesTheAccountAloneWhileProvisioningLimitsRevocationAndRemovalChangeIt() {
        ProjectAccounts accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dir));
        AtomicInteger changes = new AtomicInteger();
        accounts.onAccountsChanged(changes::incrementAndGet);
        String account = accounts.provision("p1", ProjectLimits.UNLIMITED);
        assertThat(changes).hasValue(1);
        String jwt = accounts.resolverPreload().get(account);

        accounts.issueMemberCredentials("p1", "u1", ProjectRole.MEMBER);
        IssuedCredential service = accounts.createServiceCredential("p1", "svc", CredentialScope.FULL, Optional.empty());
        assertThat(changes).hasValue(1);
        assertThat(accounts.resolverPreload()).containsEntry(account, jwt);
        assertThat(accounts.listCredentials("p1")).hasSize(2);

        accounts.updateLimits("p1", ProjectLimits.UNLIMITED.withMaxConnections(3));
        assertThat(changes).hasValue(2);
        accounts.revoke("p1", service.info().id());
        assertThat(changes).hasValue(3);
        accounts.remove("p1");
        assertThat(changes).hasValue(4);
        assertThat(accounts.resolverPreload()).doesNotContainKey(account);
    }
}
