package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Mfas;
import io.pocketbus.core.Otps;
import io.pocketbus.core.Record;
import io.pocketbus.tools.types.DateTime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PocketBase's hourly system jobs {@code __pbOTPCleanup__} and {@code __pbMFACleanup__}: listed by
 * {@code /api/crons}, and when run (in the calling thread, so the outcome can be checked at once) they delete
 * exactly the OTPs and MFA sessions older than their collection's duration.
 */
class AuthCleanupJobsTest {
    @TempDir
    Path tmp;

    /** Moves a row's creation time back by {@code seconds} (parameterised SQL, no hooks). */
    private static void age(AuthFlowServer pb, Record row, long seconds) {
        String created = DateTime.now().plusSeconds(-seconds).toString();
        pb.app.db().write(c -> {
            try (var st = c.prepareStatement("UPDATE " + row.collection().tableName() + " SET created = ? WHERE id = ?")) {
                st.setString(1, created);
                st.setString(2, row.id());
                return st.executeUpdate();
            }
        });
    }

    private static void runJob(AuthFlowServer pb, String id) {
        pb.app.cron().jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow().run();
    }

    @Test
    void listedWithPocketBaseIdsAndExpressions() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            String su = pb.tokenOf("_superusers", "test@example.com");
            AuthFlowServer.Response crons = pb.get("/api/crons", "Authorization", su);
            assertThat(crons.status()).isEqualTo(200);
            assertThat(crons.body()).contains("{\"id\":\"__pbMFACleanup__\",\"expression\":\"0 * * * *\"}",
                    "{\"id\":\"__pbOTPCleanup__\",\"expression\":\"0 * * * *\"}");
        }
    }

    @Test
    void removeOnlyTheExpiredRows() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            Record user = AuthFlowFixtures.user(pb.app, "test@example.com");
            long otpSeconds = Otps.duration(user.collection()).toSeconds();
            long mfaSeconds = Mfas.duration(user.collection()).toSeconds();
            Record oldOtp = Otps.create(pb.app, user, "123456");
            Record freshOtp = Otps.create(pb.app, user, "654321");
            Record oldMfa = Mfas.create(pb.app, user, "password");
            Record freshMfa = Mfas.create(pb.app, user, "otp");
            age(pb, oldOtp, otpSeconds + 5);
            age(pb, freshOtp, otpSeconds - 5);
            age(pb, oldMfa, mfaSeconds + 5);
            age(pb, freshMfa, mfaSeconds - 5);

            runJob(pb, "__pbOTPCleanup__");
            assertThat(Otps.findById(pb.app, oldOtp.id())).isEmpty();
            assertThat(Otps.findById(pb.app, freshOtp.id())).isPresent();
            assertThat(Mfas.findById(pb.app, oldMfa.id())).isPresent();

            runJob(pb, "__pbMFACleanup__");
            assertThat(Mfas.findById(pb.app, oldMfa.id())).isEmpty();
            assertThat(Mfas.findById(pb.app, freshMfa.id())).isPresent();
            assertThat(Otps.findById(pb.app, freshOtp.id())).isPresent();
        }
    }
}
