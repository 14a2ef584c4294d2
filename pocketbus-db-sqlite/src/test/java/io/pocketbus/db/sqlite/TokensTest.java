package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.AuthOptions.TokenType;
import io.pocketbus.core.Record;
import io.pocketbus.tools.security.Jwt;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    /** Tokens PocketBase issued for its own test data (this fixture), valid until 2050. */
    static final String USER_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.ZT3F0Z3iM-xbGgSG3LEKiEzHrPHr8t8IuHLZGGNuxLo";
    static final String SUPERUSER_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InN5d2JoZWNuaDQ2cmhtMCIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoicGJjXzMxNDI2MzU4MjMiLCJleHAiOjI1MjQ2MDQ0NjEsInJlZnJlc2hhYmxlIjp0cnVlfQ.UXgO3j-0BumcugrFjbd7j0M4MQvbrLggLlcu_YNGjoY";

    @TempDir
    Path temp;
    App app;

    @BeforeEach
    void open() {
        app = Fixtures.fixtureApp(temp);
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void pocketBaseIssuedTokensVerify() {
        assertThat(app.findAuthRecordByToken(USER_TOKEN, TokenType.AUTH)).get().extracting(Record::id)
                .isEqualTo("4q1xlclmfloku33");
        Record su = app.findAuthRecordByToken(SUPERUSER_TOKEN, TokenType.AUTH).orElseThrow();
        assertThat(su.isSuperuser()).isTrue();
        assertThat(app.findAuthRecordByToken(USER_TOKEN, TokenType.FILE)).isEmpty();
        String tampered = USER_TOKEN.substring(0, USER_TOKEN.length() - 2) + "xx";
        assertThat(app.findAuthRecordByToken(tampered, TokenType.AUTH)).isEmpty();
        assertThat(app.findAuthRecordByToken("garbage", TokenType.AUTH)).isEmpty();
    }

    @Test
    void issuedTokensCarryPocketBaseClaims() {
        Record user = app.findRecordById("users", "oap640cot4yru2s").orElseThrow();
        String token = app.newAuthToken(user);
        var claims = Jwt.parseUnverified(token).orElseThrow();
        assertThat(claims.fieldNames()).toIterable().containsExactly("collectionId", "exp", "id", "refreshable", "type");
        assertThat(claims.get("refreshable").asBoolean()).isTrue();
        long expected = Instant.now().getEpochSecond() + user.collection().auth().tokenDuration(TokenType.AUTH);
        assertThat(claims.get("exp").asLong()).isBetween(expected - 5, expected + 5);
        assertThat(app.findAuthRecordByToken(token, TokenType.AUTH)).get().extracting(Record::id).isEqualTo(user.id());

        String impersonate = app.newStaticAuthToken(user, Duration.ofSeconds(100));
        var staticClaims = app.verifyTokenClaims(impersonate, TokenType.AUTH).orElseThrow();
        assertThat(staticClaims.get("refreshable").asBoolean()).isFalse();
        assertThat(app.verifyTokenClaims(app.newEmailChangeToken(user, "new@example.com"), TokenType.EMAIL_CHANGE)
                .orElseThrow().get("newEmail").asText()).isEqualTo("new@example.com");
    }

    @Test
    void savingACollectionReadFromTheApiKeepsItsSecrets() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var publicJson = mapper.valueToTree(app.findCollectionByNameOrId("users").orElseThrow().toMap());
        assertThat(publicJson.toString()).doesNotContain("\"secret\"");
        io.pocketbus.core.Collection edited = io.pocketbus.core.Collection.fromJson(publicJson);
        edited.setListRule(java.util.Optional.of(""));
        app.save(edited);
        assertThat(app.findAuthRecordByToken(USER_TOKEN, TokenType.AUTH)).isPresent();
        assertThat(app.findAuthRecordByEmail("users", "TEST@example.com")).get().extracting(Record::id)
                .isEqualTo("4q1xlclmfloku33");
    }

    @Test
    void expiredAndRevokedTokensAreRejected() {
        Record user = app.findRecordById("users", "4q1xlclmfloku33").orElseThrow();
        String key = user.tokenKey() + user.collection().auth().tokenSecret(TokenType.AUTH);
        String expired = Jwt.sign(Map.of("id", user.id(), "type", "auth", "collectionId", "_pb_users_auth_",
                "exp", Instant.now().getEpochSecond() - 1, "refreshable", true), key);
        assertThat(app.findAuthRecordByToken(expired, TokenType.AUTH)).isEmpty();

        user.set("password", "changed-password");
        app.save(user);
        assertThat(app.findAuthRecordByToken(USER_TOKEN, TokenType.AUTH)).isEmpty();
    }
}
