package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Mfas;
import io.pocketbus.core.Otps;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MFA on the fixture's users (enabled, empty rule): password then OTP, or OTP then password. */
class RecordAuthMfaTest {
    private static final String LOGIN = "{\"identity\":\"test@example.com\",\"password\":\"1234567890\"";

    @TempDir
    Path tmp;

    @Test
    void passwordThenOtpCompletesTheLogin() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            AuthFlowServer.Response first = pb.post("/api/collections/users/auth-with-password", LOGIN + "}");
            assertThat(first.status()).isEqualTo(401);
            assertThat(first.body().strip()).matches("\\{\"mfaId\":\"[a-z0-9]{15}\"}");
            String mfaId = first.field("mfaId");
            Record user = AuthFlowFixtures.user(pb.app, "test@example.com");
            assertThat(Mfas.findById(pb.app, mfaId)).get()
                    .satisfies(m -> assertThat(m.getString("method")).isEqualTo("password"));

            // the same method again is refused and the session stays
            AuthFlowServer.Response same = pb.post("/api/collections/users/auth-with-password",
                    LOGIN + ",\"mfaId\":\"" + mfaId + "\"}");
            assertThat(same.status()).isEqualTo(400);
            assertThat(same.body()).contains("A different authentication method is required.");

            Record otp = Otps.create(pb.app, user, "87654321");
            AuthFlowServer.Response second = pb.post("/api/collections/users/auth-with-otp",
                    "{\"otpId\":\"" + otp.id() + "\",\"password\":\"87654321\",\"mfaId\":\"" + mfaId + "\"}");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"email\":\"test@example.com\"", "\"token\":\"");
            assertThat(Mfas.findById(pb.app, mfaId)).isEmpty();
        }
    }

    @Test
    void otpFirstAndMfaIdInTheQuery() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            Record user = AuthFlowFixtures.user(pb.app, "test2@example.com");
            Record otp = Otps.create(pb.app, user, "11112222");
            AuthFlowServer.Response first = pb.post("/api/collections/users/auth-with-otp",
                    "{\"otpId\":\"" + otp.id() + "\",\"password\":\"11112222\"}");
            assertThat(first.status()).isEqualTo(401);
            String mfaId = first.field("mfaId");
            AuthFlowServer.Response second = pb.post("/api/collections/users/auth-with-password?mfaId=" + mfaId,
                    "{\"identity\":\"test2@example.com\",\"password\":\"1234567890\"}");
            assertThat(second.status()).isEqualTo(200);
        }
    }

    @Test
    void unknownOrForeignSessions() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            AuthFlowServer.Response unknown = pb.post("/api/collections/users/auth-with-password",
                    LOGIN + ",\"mfaId\":\"aaaaaaaaaaaaaaa\"}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body()).contains("Invalid or expired MFA session.");

            Record other = AuthFlowFixtures.user(pb.app, "test2@example.com");
            String foreign = Mfas.create(pb.app, other, "otp").id();
            AuthFlowServer.Response mismatch = pb.post("/api/collections/users/auth-with-password",
                    LOGIN + ",\"mfaId\":\"" + foreign + "\"}");
            assertThat(mismatch.status()).isEqualTo(400);
            assertThat(mismatch.body()).contains("Invalid MFA session.");
        }
    }

    @Test
    void anUnmatchedMfaRuleSkipsMfa() {
        ApiScenario.of("mfa rule not matched").request("POST", "/api/collections/users/auth-with-password")
                .before(app -> AuthFlowFixtures.changeAuthOption(app, "users", "mfa", o -> o.put("rule", "1=2")))
                .json(LOGIN + "}").status(200).contains("\"token\":\"").run(tmp);
    }
}
