package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.AuthOptions;
import io.pocketbus.core.Otps;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the auth flows: PocketBase's statuses, messages and field codes, and no state change. */
class RecordAuthFlowErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void signUpChecksThePlainPasswordAgainstItsConfirmation() {
        ApiScenario.of("sign up").request("POST", "/api/collections/users/records")
                .json("{\"email\":\"new@example.com\",\"password\":\"12345678\",\"passwordConfirm\":\"12345678\"}")
                .status(200).contains("\"verified\":false")
                .after(app -> assertThat(app.findAuthRecordByEmail("users", "new@example.com").orElseThrow()
                        .validatePassword("12345678")).isTrue()).run(tmp);
        ApiScenario.of("sign up mismatch").request("POST", "/api/collections/users/records")
                .json("{\"email\":\"new@example.com\",\"password\":\"12345678\",\"passwordConfirm\":\"87654321\"}")
                .status(400).contains("\"passwordConfirm\":{\"code\":\"validation_values_mismatch\"").run(tmp);
    }

    @Test
    void requestFormsValidateTheEmail() {
        for (String path : new String[] {"request-verification", "request-password-reset", "request-otp"}) {
            ApiScenario.of(path + " missing").request("POST", "/api/collections/users/" + path).json("{}")
                    .status(400).contains("An error occurred while validating the submitted data.",
                            "\"email\":{\"code\":\"validation_required\"").run(tmp);
            ApiScenario.of(path + " invalid").request("POST", "/api/collections/users/" + path)
                    .json("{\"email\":\"not-an-email\"}").status(400)
                    .contains("\"email\":{\"code\":\"validation_is_email\"").run(tmp);
            ApiScenario.of(path + " not auth").request("POST", "/api/collections/demo1/" + path)
                    .json("{\"email\":\"a@example.com\"}").status(404)
                    .contains("Missing or invalid auth collection context.").run(tmp);
        }
    }

    @Test
    void disabledMethodsAndSuperusers() {
        ApiScenario.of("reset without password auth").request("POST", "/api/collections/nologin/request-password-reset")
                .json("{\"email\":\"test@example.com\"}").status(400)
                .contains("The collection is not configured to allow password authentication.").run(tmp);
        ApiScenario.of("otp disabled").request("POST", "/api/collections/clients/request-otp")
                .json("{\"email\":\"test@example.com\"}").status(403)
                .contains("The collection is not configured to allow OTP authentication.").run(tmp);
        ApiScenario.of("superusers verification").request("POST", "/api/collections/_superusers/request-verification")
                .json("{\"email\":\"test@example.com\"}").status(400)
                .contains("All superusers are verified by default.").run(tmp);
        ApiScenario.of("superusers email change").request("POST", "/api/collections/_superusers/confirm-email-change")
                .json("{}").status(400).contains("All superusers can change their emails directly.").run(tmp);
    }

    @Test
    void confirmTokensOfTheWrongKind() {
        ApiScenario.of("garbage verification token").request("POST", "/api/collections/users/confirm-verification")
                .json("{\"token\":\"abc\"}").status(400)
                .contains("\"token\":{\"code\":\"validation_invalid_token_claims\"").run(tmp);
        ApiScenario.of("garbage reset token").request("POST", "/api/collections/users/confirm-password-reset")
                .json("{\"token\":\"x\",\"password\":\"12345678\",\"passwordConfirm\":\"12345678\"}").status(400)
                .contains("\"token\":{\"code\":\"validation_invalid_token\"").run(tmp);
        ApiScenario.of("missing passwords").request("POST", "/api/collections/users/confirm-password-reset")
                .json("{\"token\":\"x\"}").status(400)
                .contains("\"password\":{\"code\":\"validation_required\"",
                        "\"passwordConfirm\":{\"code\":\"validation_required\"").run(tmp);
        ApiScenario.of("email change without newEmail claim").request("POST", "/api/collections/users/confirm-email-change")
                .json("{\"token\":\"a.b.c\",\"password\":\"1234567890\"}").status(400)
                .contains("\"token\":{\"code\":\"validation_invalid_token_payload\"").run(tmp);
    }

    @Test
    void tokensOfAnotherCollectionAreRejected() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            String clientsReset = pb.app.newPasswordResetToken(
                    pb.app.findAuthRecordByEmail("clients", "test@example.com").orElseThrow());
            AuthFlowServer.Response r = pb.post("/api/collections/users/confirm-password-reset",
                    "{\"token\":\"" + clientsReset + "\",\"password\":\"12345678\",\"passwordConfirm\":\"12345678\"}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("\"token\":{\"code\":\"validation_token_collection_mismatch\"");
            String verification = pb.app.newVerificationToken(AuthFlowFixtures.user(pb.app, "test@example.com"));
            AuthFlowServer.Response wrongType = pb.post("/api/collections/users/confirm-password-reset",
                    "{\"token\":\"" + verification + "\",\"password\":\"12345678\",\"passwordConfirm\":\"12345678\"}");
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.body()).contains("\"token\":{\"code\":\"validation_invalid_token\"");
            assertThat(AuthFlowFixtures.user(pb.app, "test@example.com").validatePassword("1234567890")).isTrue();
        }
    }

    @Test
    void emailChangeRequests() {
        ApiScenario.of("guest").request("POST", "/api/collections/users/request-email-change")
                .json("{\"newEmail\":\"new@example.com\"}").status(401).run(tmp);
        ApiScenario.of("other collection").request("POST", "/api/collections/users/request-email-change")
                .auth("clients", "test@example.com").json("{\"newEmail\":\"new@example.com\"}").status(403).run(tmp);
        ApiScenario.of("taken").request("POST", "/api/collections/users/request-email-change")
                .auth("users", "test@example.com").json("{\"newEmail\":\"test2@example.com\"}").status(400)
                .contains("\"newEmail\":{\"code\":\"validation_invalid_new_email\"").run(tmp);
        ApiScenario.of("same").request("POST", "/api/collections/users/request-email-change")
                .auth("users", "test@example.com").json("{\"newEmail\":\"test@example.com\"}").status(400)
                .contains("\"newEmail\":{\"code\":\"validation_not_in_invalid\"").run(tmp);
    }

    @Test
    void otpAttemptsAreLimited() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            String otpId = Otps.create(pb.app, AuthFlowFixtures.user(pb.app, "test@example.com"), "12345678").id();
            for (int i = 0; i < 5; i++) {
                assertThat(pb.post("/api/collections/users/auth-with-otp",
                        "{\"otpId\":\"" + otpId + "\",\"password\":\"00000000\"}").status()).isEqualTo(400);
            }
            AuthFlowServer.Response limited = pb.post("/api/collections/users/auth-with-otp",
                    "{\"otpId\":\"" + otpId + "\",\"password\":\"12345678\"}");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body()).contains("Too many attempts, please try again later with a new OTP.");
            assertThat(Otps.findById(pb.app, otpId)).isPresent();
        }
    }

    @Test
    void impersonate() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            String su = pb.tokenOf("_superusers", "test@example.com");
            String userId = AuthFlowFixtures.user(pb.app, "test@example.com").id();
            AuthFlowServer.Response r = pb.post("/api/collections/users/impersonate/" + userId,
                    "{\"duration\":100}", "Authorization", su);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"email\":\"test@example.com\"");
            var claims = pb.app.verifyTokenClaims(r.token(), AuthOptions.TokenType.AUTH).orElseThrow();
            assertThat(claims.path("refreshable").asBoolean(true)).isFalse();
            assertThat(claims.path("exp").asLong() - java.time.Instant.now().getEpochSecond()).isBetween(1L, 100L);
            // a non-refreshable token comes back unchanged from auth-refresh
            AuthFlowServer.Response refreshed = pb.post("/api/collections/users/auth-refresh", null,
                    "Authorization", r.token());
            assertThat(refreshed.status()).isEqualTo(200);
            assertThat(refreshed.token()).isEqualTo(r.token());

            assertThat(pb.post("/api/collections/users/impersonate/" + userId, "{}",
                    "Authorization", pb.tokenOf("users", "test2@example.com")).status()).isEqualTo(403);
            assertThat(pb.post("/api/collections/users/impersonate/" + userId, "{}").status()).isEqualTo(401);
            assertThat(pb.post("/api/collections/users/impersonate/missing", "{}", "Authorization", su).status())
                    .isEqualTo(404);
            AuthFlowServer.Response negative = pb.post("/api/collections/users/impersonate/" + userId,
                    "{\"duration\":-1}", "Authorization", su);
            assertThat(negative.status()).isEqualTo(400);
            assertThat(negative.body()).contains("\"duration\":{\"code\":\"validation_min_greater_equal_than_required\"");
        }
    }
}
