package io.pocketbus.bridge;

import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.JwtAccountClaims;
import io.pocketbus.broker.JwtLimits;
import io.pocketbus.broker.JwtOperatorClaims;
import io.pocketbus.broker.JwtSigningKey;
import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NKey;
import io.pocketbus.broker.NatsJwt;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NATS operator Pocketbus runs as: the operator nkey and its signing key, the system account, and the
 * application's own account (where record events {@code pb.records.…} are published), each with an account
 * signing key. Created on first start, the seeds are kept under {@code <dataDir>/nats/} (directory 0700,
 * files 0600) and loaded on later starts; the JWTs are issued from them at load.
 */
public final class OperatorIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorIdentity.class);

    static final String NATS_DIR = "nats";
    static final String OPERATOR_NAME = "pocketbus";
    static final String SYSTEM_ACCOUNT_NAME = "SYS";
    static final String APP_ACCOUNT_NAME = "APP";

    private final Path dir;
    private final NKey operator;
    private final NKey operatorSigning;
    private final NKey systemAccount;
    private final NKey appAccount;
    private final NKey appSigning;
    private final SecureRandom random;
    private final Clock clock;
    private final String operatorJwt;
    private final String systemAccountJwt;
    private final String appAccountJwt;

    private OperatorIdentity(Path dir, SecureRandom random, Clock clock) {
        this.dir = SecretFiles.directory(dir);
        this.random = random;
        this.clock = clock;
        this.operator = key("operator.nk", NKey.Type.OPERATOR);
        this.operatorSigning = key("operator-signing.nk", NKey.Type.OPERATOR);
        this.systemAccount = key("system-account.nk", NKey.Type.ACCOUNT);
        this.appAccount = key("app-account.nk", NKey.Type.ACCOUNT);
        this.appSigning = key("app-account-signing.nk", NKey.Type.ACCOUNT);
        this.operatorJwt = NatsJwt.issue(JwtOperatorClaims.of(operator.publicKey(), OPERATOR_NAME,
                List.of(operatorSigning.publicKey()), Optional.of(systemAccount.publicKey())), operator, clock);
        this.systemAccountJwt = issueAccountJwt(JwtAccountClaims.builder(systemAccount.publicKey())
                .name(SYSTEM_ACCOUNT_NAME).build());
        this.appAccountJwt = issueAccountJwt(JwtAccountClaims.builder(appAccount.publicKey())
                .name(APP_ACCOUNT_NAME)
                .signingKeys(List.of(JwtSigningKey.unscoped(appSigning.publicKey())))
                .limits(JwtLimits.UNLIMITED.withJetStream(-1, -1))
                .build());
        SecretFiles.write(this.dir.resolve("operator.jwt"), operatorJwt);
    }

    /** Loads the identity from {@code <dataDir>/nats/}, creating the keys that are missing. */
    public static OperatorIdentity loadOrCreate(Path dataDir) {
        return loadOrCreate(dataDir, new SecureRandom(), Clock.systemUTC());
    }

    static OperatorIdentity loadOrCreate(Path dataDir, SecureRandom random, Clock clock) {
        return new OperatorIdentity(dataDir.resolve(NATS_DIR), random, clock);
    }

    private NKey key(String file, NKey.Type type) {
        Path path = dir.resolve(file);
        Optional<String> seed = SecretFiles.read(path);
        if (seed.isPresent()) {
            NKey key = NKey.fromSeed(seed.get());
            if (key.type() != type) {
                throw new IllegalStateException(path + " holds a " + key.type() + " seed, expected " + type);
            }
            return key;
        }
        NKey created = NKey.create(type, random);
        SecretFiles.write(path, created.seed().orElseThrow() + "\n");
        LOG.info("created NATS {} key {} in {}", type.name().toLowerCase(Locale.ROOT), created.publicKey(), dir);
        return created;
    }

    /** The directory holding the seeds: {@code <dataDir>/nats}. */
    public Path directory() {
        return dir;
    }

    public String operatorPublicKey() {
        return operator.publicKey();
    }

    /** The self-signed operator JWT a nats-server in operator mode trusts ({@code operator:}). */
    public String operatorJwt() {
        return operatorJwt;
    }

    public String systemAccountPublicKey() {
        return systemAccount.publicKey();
    }

    public String systemAccountJwt() {
        return systemAccountJwt;
    }

    /** The application's own account: record events are published here. */
    public String appAccountPublicKey() {
        return appAccount.publicKey();
    }

    public String appAccountJwt() {
        return appAccountJwt;
    }

    /**
     * Credentials for the application itself in its own account, everything allowed, e.g. for its
     * in-process connection that publishes record events.
     */
    public CredsFile appCredentials() {
        NKey user = NKey.create(NKey.Type.USER, random);
        String jwt = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).name(APP_ACCOUNT_NAME)
                .issuerAccount(appAccount.publicKey()).build(), appSigning, clock);
        return new CredsFile(jwt, user.seed().orElseThrow());
    }

    /**
     * Credentials of a user in the system account, signed by that account's own key: what an external
     * nats-server in operator mode accepts for {@code $SYS.REQ.…} account JWT updates.
     */
    CredsFile systemCredentials(String name) {
        NKey user = NKey.create(NKey.Type.USER, random);
        String jwt = NatsJwt.issue(JwtUserClaims.builder(user.publicKey()).name(name).build(), systemAccount, clock);
        return new CredsFile(jwt, user.seed().orElseThrow());
    }

    /** The operator's signing key: it signs account JWTs and a nats-server's account delete requests. */
    NKey operatorSigningKey() {
        return operatorSigning;
    }

    /** Signs account claims with the operator's signing key. */
    String issueAccountJwt(JwtAccountClaims claims) {
        return NatsJwt.issue(claims, operatorSigning, clock);
    }

    SecureRandom random() {
        return random;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "OperatorIdentity[" + operator.publicKey() + "]";
    }
}
