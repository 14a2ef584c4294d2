package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token, user/password (plain and bcrypt), nkey users and the composite's nats-server order. */
class ConfigAuthenticatorsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Permissions ORDERS_ONLY = new Permissions(
            new SubjectPermission(List.of("orders.>"), List.of()), SubjectPermission.ANY, Optional.empty());

    private static String bcrypt(String password) {
        return BCrypt.withDefaults().hashToString(4, password.toCharArray());
    }

    @Test
    void tokenPlainAndBcrypt() {
        assertThat(TokenAuthenticator.of("s3cr3t").authenticate(Attempts.token("s3cr3t")))
                .isEqualTo(new Grant("$G", "token", Permissions.ALL, Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> TokenAuthenticator.of("s3cr3t").authenticate(Attempts.token("s3cr3")))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> TokenAuthenticator.of("s3cr3t").authenticate(Attempts.none()))
                .isInstanceOf(AuthenticationException.class);

        TokenAuthenticator hashed = TokenAuthenticator.of(bcrypt("s3cr3t"));
        assertThat(hashed.authenticate(Attempts.token("s3cr3t")).account()).isEqualTo("$G");
        assertThatThrownBy(() -> hashed.authenticate(Attempts.token("wrong"))).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void usersWithPlainAndBcryptPasswordsPermissionsAndAccounts() {
        UserPasswordAuthenticator users = new UserPasswordAuthenticator(List.of(
                ConfigUser.withPassword("alice", "a-pass").withPermissions(ORDERS_ONLY).inAccount("SALES"),
                ConfigUser.withPassword("bob", bcrypt("b-pass"))));

        Grant alice = users.authenticate(Attempts.user("alice", "a-pass"));
        assertThat(alice.account()).isEqualTo("SALES");
        assertThat(alice.identity()).isEqualTo("alice");
        assertThat(alice.permissions()).isEqualTo(ORDERS_ONLY);
        assertThat(users.authenticate(Attempts.user("bob", "b-pass")).account()).isEqualTo("$G");

        assertThatThrownBy(() -> users.authenticate(Attempts.user("alice", "b-pass"))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> users.authenticate(Attempts.user("bob", "wrong"))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> users.authenticate(Attempts.user("carol", "a-pass"))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> users.authenticate(Attempts.user("alice", null))).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void bcryptPrefixesAsNatsServerRecognisesThem() {
        assertThat(new ConfigSecret(bcrypt("x")).isBcrypt()).isTrue();
        assertThat(new ConfigSecret("$2b$10$abcdefghijklmnopqrstuv").isBcrypt()).isTrue();
        assertThat(new ConfigSecret("$2y$10$abc").isBcrypt()).isTrue();
        assertThat(new ConfigSecret("$2c$10$abc").isBcrypt()).isFalse();
        assertThat(new ConfigSecret("$plain").isBcrypt()).isFalse();
        assertThat(new ConfigSecret("pw").toString()).doesNotContain("pw");
    }

    @Test
    void allowedConnectionTypes() {
        UserPasswordAuthenticator users = new UserPasswordAuthenticator(List.of(
                ConfigUser.withPassword("web", "pw").withAllowedConnectionTypes(List.of("WEBSOCKET"))));
        assertThat(users.authenticate(Attempts.over(Attempts.user("web", "pw"), "websocket", "127.0.0.1:1")).identity())
                .isEqualTo("web");
        assertThatThrownBy(() -> users.authenticate(Attempts.user("web", "pw"))).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void nkeyUsersSignTheNonce() {
        NKey alice = NKey.create(NKey.Type.USER, RANDOM);
        NKey mallory = NKey.create(NKey.Type.USER, RANDOM);
        NKeyAuthenticator nkeys = new NKeyAuthenticator(List.of(ConfigUser.withNKey(alice.publicKey()).inAccount("A")));

        assertThat(nkeys.requiresNonce()).isTrue();
        Grant grant = nkeys.authenticate(Attempts.nkey(alice));
        assertThat(grant.identity()).isEqualTo(alice.publicKey());
        assertThat(grant.account()).isEqualTo("A");

        assertThatThrownBy(() -> nkeys.authenticate(Attempts.nkey(mallory))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> nkeys.authenticate(Attempts.attempt(null, null, null, alice.publicKey(),
                Attempts.sign(mallory, Attempts.NONCE), null))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> nkeys.authenticate(Attempts.attempt(null, null, null, alice.publicKey(),
                Attempts.sign(alice, "another-nonce"), null))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> nkeys.authenticate(Attempts.attempt(null, null, null, alice.publicKey(), null, null)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void compositeTriesNkeysThenUsersAndHonoursNoAuthUser() {
        NKey service = NKey.create(NKey.Type.USER, RANDOM);
        CompositeAuthenticator auth = CompositeAuthenticator.builder()
                .nkeys(new NKeyAuthenticator(List.of(ConfigUser.withNKey(service.publicKey()))))
                .users(new UserPasswordAuthenticator(List.of(ConfigUser.withPassword("guest", "guest").withPermissions(ORDERS_ONLY),
                        ConfigUser.withPassword("admin", "pw"))))
                .noAuthUser("guest")
                .build();

        assertThat(auth.requiresNonce()).isTrue();
        assertThat(auth.authRequired()).isFalse();
        assertThat(auth.authenticate(Attempts.nkey(service)).identity()).isEqualTo(service.publicKey());
        assertThat(auth.authenticate(Attempts.user("admin", "pw")).identity()).isEqualTo("admin");
        Grant anonymous = auth.authenticate(Attempts.none());
        assertThat(anonymous.identity()).isEqualTo("guest");
        assertThat(anonymous.permissions()).isEqualTo(ORDERS_ONLY);
        assertThat(auth.authenticate(Attempts.attempt("", "", "", "", null, null)).identity())
                .as("empty fields count as absent, as in nats-server").isEqualTo("guest");
        assertThatThrownBy(() -> auth.authenticate(Attempts.user("admin", "wrong"))).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> auth.authenticate(Attempts.token("x"))).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void compositeRejectsConfigurationsNatsServerRejects() {
        assertThatThrownBy(() -> CompositeAuthenticator.builder().token(TokenAuthenticator.of("t"))
                .users(new UserPasswordAuthenticator(List.of(ConfigUser.withPassword("a", "b")))).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompositeAuthenticator.builder()
                .users(new UserPasswordAuthenticator(List.of(ConfigUser.withPassword("a", "b")))).noAuthUser("zed").build())
                .hasMessageContaining("no_auth_user");
        assertThat(CompositeAuthenticator.builder().build().isEmpty()).isTrue();
        CompositeAuthenticator token = CompositeAuthenticator.builder().token(TokenAuthenticator.of("t")).build();
        assertThat(token.authRequired()).isTrue();
        assertThat(token.requiresNonce()).isFalse();
        assertThat(token.authenticate(Attempts.token("t")).account()).isEqualTo("$G");
    }
}
