package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordAuthApiTest {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @TempDir
    Path tmp;

    @Test
    void superuserLogsInWithPassword() {
        String body = ApiScenario.of("superuser login").request("POST", "/api/collections/_superusers/auth-with-password")
                .json("{\"identity\":\"test@example.com\",\"password\":\"1234567890\"}").status(200)
                .contains("{\"record\":{", "\"email\":\"test@example.com\"", "\"collectionName\":\"_superusers\"",
                        "\"token\":\"")
                .notContains("\"password\"", "\"tokenKey\"").run(tmp);
        assertThat(body).startsWith("{\"record\":{");
    }

    @Test
    void userLogsInCaseInsensitivelyAndSeesOwnEmail() {
        // the fixture's users require MFA: switched off here, MFA has its own tests (RecordAuthMfaTest)
        ApiScenario.of("user login").request("POST", "/api/collections/users/auth-with-password")
                .before(AuthFlowFixtures::disableMfa)
                .json("{\"identity\":\"TEST@example.com\",\"password\":\"1234567890\"}").status(200)
                .contains("\"email\":\"test@example.com\"", "\"collectionName\":\"users\"").run(tmp);
    }

    @Test
    void wrongCredentialsAndInvalidForms() {
        ApiScenario.of("wrong password").request("POST", "/api/collections/users/auth-with-password")
                .json("{\"identity\":\"test@example.com\",\"password\":\"wrong\"}").status(400)
                .contains("{\"data\":{},\"message\":\"Failed to authenticate.\",\"status\":400}").run(tmp);
        ApiScenario.of("missing fields").request("POST", "/api/collections/users/auth-with-password")
                .json("{}").status(400).contains("\"identity\":{\"code\":\"validation_required\"",
                        "\"password\":{\"code\":\"validation_required\"",
                        "An error occurred while validating the submitted data.").run(tmp);
        ApiScenario.of("not an auth collection").request("POST", "/api/collections/demo1/auth-with-password")
                .json("{}").status(404).contains("Missing or invalid auth collection context.").run(tmp);
    }

    @Test
    void authRefreshWithRawAndBearerTokens() {
        ApiScenario.of("refresh raw").request("POST", "/api/collections/users/auth-refresh")
                .auth("users", "test@example.com").status(200).contains("\"email\":\"test@example.com\"").run(tmp);
        String login = ApiScenario.of("login").request("POST", "/api/collections/_superusers/auth-with-password")
                .json("{\"identity\":\"test@example.com\",\"password\":\"1234567890\"}").run(tmp);
        Matcher m = TOKEN.matcher(login);
        assertThat(m.find()).isTrue();
        // the token was issued by another app copy with the same keys: it stays valid
        ApiScenario.of("refresh bearer").request("POST", "/api/collections/_superusers/auth-refresh")
                .header("Authorization", "Bearer " + m.group(1)).status(200).contains("\"token\":\"").run(tmp);
    }

    @Test
    void invalidTokensMakeAGuest() {
        ApiScenario.of("refresh without token").request("POST", "/api/collections/users/auth-refresh").status(401)
                .contains("The request requires valid record authorization token.").run(tmp);
        ApiScenario.of("garbage token").request("POST", "/api/collections/users/auth-refresh")
                .header("Authorization", "garbage").status(401).run(tmp);
        ApiScenario.of("other collection").request("POST", "/api/collections/users/auth-refresh")
                .auth("_superusers", "test@example.com").status(403)
                .contains("The request requires auth record from _superusers collection.").run(tmp);
        ApiScenario.of("guest list with bad token").request("GET", "/api/collections/demo2/records")
                .header("Authorization", "Bearer x.y.z").status(200).run(tmp);
    }

    @Test
    void authMethods() {
        ApiScenario.of("auth methods").request("GET", "/api/collections/users/auth-methods").status(200)
                .contains("{\"password\":{\"identityFields\":[\"email\",\"username\"],\"enabled\":true},"
                        + "\"oauth2\":{\"providers\":[{\"name\":\"gitlab\"").run(tmp);
    }

    @Test
    void authenticatedRequestsPassRules() {
        ApiScenario.of("view own user").request("GET", "/api/collections/users/records/4q1xlclmfloku33")
                .auth("users", "test@example.com").status(200).contains("\"email\":\"test@example.com\"").run(tmp);
        ApiScenario.of("superuser sees null-rule collection").request("GET", "/api/collections/demo1/records")
                .auth("_superusers", "test@example.com").status(200).contains("\"totalItems\":3").run(tmp);
        // the createRule passes for a users record, so the failure is field validation, not the rule
        ApiScenario.of("demo4 create rule for users").request("POST", "/api/collections/demo4/records")
                .auth("users", "test@example.com").json("{\"title\":\"by user\"}").status(400)
                .contains("\"rel_one_no_cascade_required\":{\"code\":\"validation_required\"").run(tmp);
    }

    @Test
    void superusersImpersonateWithANonRefreshableToken() {
        String body = ApiScenario.of("impersonate").request("POST", "/api/collections/users/impersonate/4q1xlclmfloku33")
                .auth("_superusers", "test@example.com").json("{\"duration\":100}").status(200)
                .contains("\"id\":\"4q1xlclmfloku33\"", "\"email\":\"test@example.com\"").run(tmp);
        Matcher m = TOKEN.matcher(body);
        assertThat(m.find()).isTrue();
        String payload = new String(java.util.Base64.getUrlDecoder().decode(m.group(1).split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"refreshable\":false");
        ApiScenario.of("impersonate as user").request("POST", "/api/collections/users/impersonate/4q1xlclmfloku33")
                .auth("users", "test@example.com").status(403).run(tmp);
        ApiScenario.of("negative duration").request("POST", "/api/collections/users/impersonate/4q1xlclmfloku33")
                .auth("_superusers", "test@example.com").json("{\"duration\":-1}").status(400)
                .contains("\"duration\":{\"code\":\"validation_min_greater_equal_than_required\"").run(tmp);
        ApiScenario.of("missing record").request("POST", "/api/collections/users/impersonate/missing")
                .auth("_superusers", "test@example.com").status(404).run(tmp);
    }
}
