package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.AuthOrigins;
import io.pocketbus.core.ExternalAuths;
import io.pocketbus.core.Mfas;
import io.pocketbus.core.Otps;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth system collections follow their records: password changes, email changes, deletes. */
class AuthRecordHooksTest {
    @TempDir
    Path tmp;

    @Test
    void passwordChangeDropsOtpsAndOrigins() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            Record user = AuthFlowFixtures.user(pb.app, "test2@example.com");
            String otpId = Otps.create(pb.app, user, "12345678").id();
            AuthOrigins.remember(pb.app, user, "fingerprint-1");
            user.set("emailVisibility", true);
            pb.app.save(user);
            assertThat(Otps.findById(pb.app, otpId)).as("unrelated change keeps the OTP").isPresent();

            user.set("password", "a-new-password");
            pb.app.save(user);
            assertThat(Otps.findById(pb.app, otpId)).isEmpty();
            assertThat(AuthOrigins.findAllByRecord(pb.app, user)).isEmpty();
        }
    }

    @Test
    void deletingTheRecordDeletesItsRefs() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            Record user = AuthFlowFixtures.user(pb.app, "test3@example.com");
            Otps.create(pb.app, user, "12345678");
            Mfas.create(pb.app, user, "password");
            assertThat(ExternalAuths.findAllByRecord(pb.app, user)).isNotEmpty();
            pb.app.delete(user);
            assertThat(ExternalAuths.findAllByRecord(pb.app, user)).isEmpty();
            assertThat(Otps.findAllByRecord(pb.app, user)).isEmpty();
            assertThat(AuthOrigins.findAllByRecord(pb.app, user)).isEmpty();
        }
    }
}
