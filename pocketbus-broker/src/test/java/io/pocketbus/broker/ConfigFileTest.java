package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pocketbus.broker.spi.AuthenticationException;
import io.pocketbus.broker.spi.Grant;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests: realistic nats-server configuration files read into the typed model and authenticators. */
class ConfigFileTest {

    /** The seed of the nkey user in users.conf. */
    static final String USERS_CONF_NKEY_SEED = "SUABGYC4IH52AYZRYOV6CHXOVFYZBSUIL44OQMDEIXUJYPANNWNITQCQ3U";

    static Path resource(String name) {
        try {
            return Path.of(ConfigFileTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigFile load(String name) {
        return ConfigFile.load(resource(name), env -> Optional.empty());
    }

    @Test
    void serverOptions() {
        ConfigFile c = load("server.conf");

        assertThat(c.serverName()).contains("pb-edge-1");
        assertThat(c.host()).contains("127.0.0.1");
        assertThat(c.port()).contains(4333);
        assertThat(c.monitor()).contains(new ConfigListen("127.0.0.1", 8333));
        assertThat(c.limits()).isEqualTo(new ConfigLimits(Optional.of(2L * 1024 * 1024), Optional.of(4096L),
                Optional.of(64L * 1024 * 1024), Optional.of(1000), Optional.empty(), Optional.of(Duration.ofSeconds(30)),
                Optional.of(3), Optional.of(Duration.ofSeconds(5)), Optional.of(Duration.ofMinutes(1)),
                Optional.of(Duration.ofSeconds(5))));
        assertThat(c.jetstream()).contains(new ConfigJetStream(true, Optional.of("/var/lib/nats"),
                Optional.of(1_000_000_000L), Optional.of(10L * 1024 * 1024 * 1024), Optional.empty(), Optional.empty(),
                Optional.of("edge")));
        assertThat(c.websocket()).contains(new ConfigWebsocket(new ConfigListen("", 8443), true, Optional.empty(), false,
                List.of("https://app.example.com"), true, Optional.empty(), Optional.empty()));
        assertThat(c.warnings()).hasSize(2).anyMatch(w -> w.endsWith("'debug' is not supported and is ignored"));
        assertThat(c.authenticator()).isEmpty();
        assertThat(c.operatorMode()).isFalse();
    }

    @Test
    void usersWithPasswordsNKeysAndPermissions() {
        ConfigFile c = load("users.conf");
        ConfigAuthorization auth = c.authorization().orElseThrow();
        Permissions defaults = new Permissions(new SubjectPermission(List.of("public.>"), List.of()),
                new SubjectPermission(List.of("public.>", "_INBOX.>"), List.of()), Optional.empty());

        assertThat(c.port()).contains(4222);
        assertThat(auth.timeout()).contains(Duration.ofSeconds(2));
        assertThat(auth.defaultPermissions()).isEqualTo(defaults);
        assertThat(auth.users()).extracting(ConfigUser::name).containsExactly("admin", "team", "responder",
                "UBCPHGH5F547GIHO3M2RPXGVRJO5WNSZMQ3NMNIMER4AQP6KLI5VCODH", "browser");
        Map<String, ConfigUser> users = new java.util.HashMap<>();
        auth.users().forEach(u -> users.put(u.name(), u));
        assertThat(users.get("admin").permissions()).isEqualTo(defaults);
        assertThat(users.get("admin").password().orElseThrow().isBcrypt()).isTrue();
        assertThat(users.get("team").permissions()).isEqualTo(new Permissions(
                new SubjectPermission(List.of("orders.>"), List.of("orders.secret")),
                new SubjectPermission(List.of(), List.of("audit.>")),
                Optional.of(new ResponsePermission(5, Duration.ofMinutes(1)))));
        assertThat(users.get("responder").permissions()).isEqualTo(new Permissions(
                new SubjectPermission(List.of(), List.of(">")), new SubjectPermission(List.of("svc.>"), List.of()),
                Optional.of(Permissions.DEFAULT_RESPONSES)));
        assertThat(users.get("browser").allowedConnectionTypes()).containsExactly("WEBSOCKET");
        assertThat(c.noAuthUser()).contains("team");

        CompositeAuthenticator authenticator = c.authenticator().orElseThrow();
        assertThat(authenticator.authRequired()).isFalse();
        assertThat(authenticator.requiresNonce()).isTrue();
        assertThat(authenticator.authenticate(Attempts.user("admin", "admin-pass")).identity()).isEqualTo("admin");
        assertThat(authenticator.authenticate(Attempts.user("team", "t3am")).identity()).isEqualTo("team");
        assertThat(authenticator.authenticate(Attempts.none()).identity()).isEqualTo("team");
        assertThat(authenticator.authenticate(Attempts.nkey(NKey.fromSeed(USERS_CONF_NKEY_SEED))).permissions())
                .isEqualTo(defaults);
        assertThatThrownBy(() -> authenticator.authenticate(Attempts.user("admin", "wrong")))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> authenticator.authenticate(Attempts.user("browser", "b")))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void accountsExportsImportsAndIncludes() {
        ConfigFile c = load("accounts.conf");

        assertThat(c.host()).contains("0.0.0.0");
        assertThat(c.limits().maxPayload()).contains(1024L * 1024);
        assertThat(c.systemAccount()).contains("SYS");
        assertThat(c.accounts()).extracting(ConfigAccount::name).containsExactly("ORDERS", "BILLING", "SYS");
        ConfigAccount orders = c.accounts().get(0);
        assertThat(orders.jetstream()).contains(ConfigJetStream.enabled(true));
        assertThat(orders.exports()).containsExactly(
                new ConfigExport(ConfigExport.Kind.STREAM, "orders.events.>", List.of(), Optional.empty()),
                new ConfigExport(ConfigExport.Kind.SERVICE, "orders.lookup", List.of("BILLING"), Optional.of("singleton")),
                new ConfigExport(ConfigExport.Kind.SERVICE, "orders.report", List.of(), Optional.of("stream")));
        ConfigAccount billing = c.accounts().get(1);
        assertThat(billing.jetstream()).contains(new ConfigJetStream(true, Optional.empty(), Optional.of(512_000_000L),
                Optional.of(1_000_000_000L), Optional.of(10L), Optional.of(100L), Optional.empty()));
        assertThat(billing.imports()).containsExactly(
                new ConfigImport(ConfigExport.Kind.STREAM, "ORDERS", "orders.events.>", Optional.empty(), Optional.of("from_orders")),
                new ConfigImport(ConfigExport.Kind.SERVICE, "ORDERS", "orders.lookup", Optional.of("lookup"), Optional.empty()));
        Permissions billingDefaults = new Permissions(new SubjectPermission(List.of("billing.>"), List.of()),
                SubjectPermission.ANY, Optional.empty());
        assertThat(billing.defaultPermissions()).isEqualTo(billingDefaults);
        assertThat(billing.users().get(0).permissions()).isEqualTo(billingDefaults);
        assertThat(billing.users().get(1).permissions().subscribe().allow()).containsExactly(">");

        AccountConfig billingLinks = billing.toAccountConfig();
        assertThat(billingLinks.streamImports()).containsExactly(
                new AccountConfig.StreamImport("ORDERS", "orders.events.>", Optional.of("from_orders")));
        assertThat(billingLinks.serviceImports()).containsExactly(
                new AccountConfig.ServiceImport("ORDERS", "orders.lookup", Optional.of("lookup")));
        assertThat(orders.toAccountConfig().serviceExports()).extracting(AccountConfig.ServiceExport::responseType)
                .containsExactly(AccountConfig.ResponseType.SINGLETON, AccountConfig.ResponseType.STREAM);
        ConfigAccount remapped = new ConfigAccount("X", List.of(), List.of(), List.of(new ConfigImport(
                ConfigExport.Kind.STREAM, "ORDERS", "a.>", Optional.of("b.>"), Optional.empty())), Optional.empty(),
                Permissions.ALL);
        assertThat(remapped.toAccountConfig().streamImports()).containsExactly(
                new AccountConfig.StreamImport("ORDERS", "a.>", Optional.empty(), Optional.of("b.>")));

        CompositeAuthenticator authenticator = c.authenticator().orElseThrow();
        assertThat(authenticator.authRequired()).isTrue();
        Grant grant = authenticator.authenticate(Attempts.user("billing", "b"));
        assertThat(grant.account()).isEqualTo("BILLING");
        assertThat(authenticator.authenticate(Attempts.user("sys", "s")).account()).isEqualTo("SYS");
        assertThat(c.users()).hasSize(4);
    }

    @Test
    void operatorModeWithArmoredOperatorFileAndPreload(@TempDir Path dir) throws Exception {
        SecureRandom random = new SecureRandom();
        NKey operator = NKey.create(NKey.Type.OPERATOR, random);
        NKey account = NKey.create(NKey.Type.ACCOUNT, random);
        NKey sys = NKey.create(NKey.Type.ACCOUNT, random);
        NKey user = NKey.create(NKey.Type.USER, random);
        String operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), "op", List.of(),
                Optional.of(sys.publicKey())), operator);
        Files.writeString(dir.resolve("op.jwt"), "-----BEGIN NATS OPERATOR JWT-----\n" + operatorJwt
                + "\n------END NATS OPERATOR JWT------\n");
        String accountJwt = NatsJwt.issue(JwtAccountClaims.builder(account.publicKey()).name("APP").build(), operator);
        Files.writeString(dir.resolve("nats.conf"), """
                operator: "./op.jwt"
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                }
                """.formatted(account.publicKey(), accountJwt));

        ConfigFile c = ConfigFile.load(dir.resolve("nats.conf"), env -> Optional.empty());

        assertThat(c.operatorMode()).isTrue();
        assertThat(c.operatorJwts()).containsExactly(operatorJwt);
        CompositeAuthenticator authenticator = c.authenticator().orElseThrow();
        String userJwt = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).build(), account);
        assertThat(authenticator.authenticate(Attempts.jwt(userJwt, user)).account()).isEqualTo(account.publicKey());

        Files.writeString(dir.resolve("full.conf"), """
                operator: %s
                resolver: { type: full, dir: "./jwt", allow_delete: true }
                resolver_preload: { %s: "%s" }
                """.formatted(operatorJwt, account.publicKey(), accountJwt));
        ConfigFile full = ConfigFile.load(dir.resolve("full.conf"), env -> Optional.empty());
        assertThat(full.resolver()).contains(new ConfigResolver(ConfigResolver.Type.FULL,
                Optional.of(dir.resolve("jwt").toString()), true));
        assertThat(Files.exists(dir.resolve("jwt"))).isFalse();
        assertThat(full.authenticator().orElseThrow().authenticate(Attempts.jwt(userJwt, user)).account())
                .isEqualTo(account.publicKey());
        assertThat(dir.resolve("jwt").resolve(account.publicKey() + ".jwt")).exists();

        Files.writeString(dir.resolve("nores.conf"), "operator: " + operatorJwt + "\n");
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("nores.conf"), env -> Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nores.conf:1:1: operator mode needs a resolver");
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> ConfigFile.parse("port: 4222\nbogus: 1\n", env -> Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessage("<string>:2:1: unknown field \"bogus\"");
        assertThatThrownBy(() -> ConfigFile.parse("tls { cert_file: x }", env -> Optional.empty()))
                .hasMessage("<string>:1:1: 'tls' is not supported by this broker");
        assertThatThrownBy(() -> ConfigFile.parse("authorization {\n token: t\n users: [{user: a, password: b}]\n}",
                env -> Optional.empty())).hasMessageStartingWith("<string>:1:1: can not have a token and a users array");
        assertThatThrownBy(() -> ConfigFile.parse("authorization { users: [{user: a, password: b}] }\nno_auth_user: x",
                env -> Optional.empty())).hasMessageContaining("no_auth_user x is not a configured user");
        assertThatThrownBy(() -> ConfigFile.parse("authorization {\n  users: [\n    {nkey: UBAD}\n  ]\n}",
                env -> Optional.empty())).hasMessage("<string>:3:6: not a valid public nkey for a user");
        assertThatThrownBy(() -> ConfigFile.parse("websocket { port: 8080 }", env -> Optional.empty()))
                .hasMessageContaining("no_tls");
        assertThatThrownBy(() -> ConfigFile.parse("port: \"x\"", env -> Optional.empty()))
                .hasMessage("<string>:1:1: expected an integer, got string \"x\"");
        assertThatThrownBy(() -> ConfigFile.parse("authorization { users: [ {user: a, password: b, permissions: { publish: { allow: \"a..b\" } } } ] }",
                env -> Optional.empty())).hasMessageContaining("is not a valid subject");
    }

    @Test
    void subscribePermissionsMayNameAQueueGroup() {
        ConfigFile c = ConfigFile.parse("authorization { users: [ {user: a, password: b, permissions: "
                + "{ subscribe: [\"work v1\", \"events.>\"] } } ] }", env -> Optional.empty());
        assertThat(c.users().get(0).permissions().subscribe().allow()).containsExactly("work v1", "events.>");
        assertThatThrownBy(() -> ConfigFile.parse("authorization { users: [ {user: a, password: b, permissions: "
                + "{ subscribe: \"a b c\" } } ] }", env -> Optional.empty())).hasMessageContaining("not a valid subject");
        assertThatThrownBy(() -> ConfigFile.parse("authorization { users: [ {user: a, password: b, permissions: "
                + "{ publish: \"a b\" } } ] }", env -> Optional.empty())).hasMessageContaining("not a valid subject");
    }

    @Test
    void variablesUsedAsSuchAreNotUnknownFields() {
        ConfigFile c = ConfigFile.parse("PORT: 4555\nport: $PORT\nauthorization { token: $SECRET }",
                env -> env.equals("SECRET") ? Optional.of("\"from-env\"") : Optional.empty());
        assertThat(c.port()).contains(4555);
        assertThat(c.authenticator().orElseThrow().authenticate(Attempts.token("from-env")).identity()).isEqualTo("token");
    }
}
