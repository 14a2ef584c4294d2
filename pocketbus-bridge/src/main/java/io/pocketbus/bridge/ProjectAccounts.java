package io.pocketbus.bridge;

import io.pocketbus.broker.Broker;
import io.pocketbus.broker.BrokerBuilder;
import io.pocketbus.broker.CloseReason;
import io.pocketbus.broker.JetStreamLimits;
import io.pocketbus.broker.JwtMemoryResolver;
import io.pocketbus.broker.JwtUserClaims;
import io.pocketbus.broker.NKey;
import io.pocketbus.broker.NatsJwt;
import io.pocketbus.broker.OperatorAuthenticator;
import io.pocketbus.broker.spi.Authenticator;
import io.pocketbus.broker.spi.Permissions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each project is a broker account. This provisions a project's account (account nkey and signing key,
 * account JWT signed by the operator with the project's limits), updates and removes it, issues its
 * credentials and revokes them; everything is kept under {@code <dataDir>/nats/} and restored when opened.
 * The account JWTs are served to the embedded broker through an operator-mode resolver, so a project's
 * users land in that project's account; the same JWTs satisfy a nats-server in operator mode
 * ({@link #resolverPreload()}).
 *
 * <pre>{@code
 * ProjectAccounts accounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(dataDir));
 * Broker broker = accounts.configure(Broker.builder().port(4222)).build();
 * accounts.attach(broker);
 * broker.start();
 * }</pre>
 */
public final class ProjectAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectAccounts.class);
    /** How long a member's browser credential lives unless configured otherwise. */
    public static final Duration DEFAULT_MEMBER_TTL = Duration.ofHours(1);

    private final OperatorIdentity identity;
    private final ProjectAccountFiles files;
    private final JwtMemoryResolver resolver;
    private final ProjectAuthenticator authenticator;
    private final Duration memberTtl;
    private final Map<String, ProjectAccount> projects = new ConcurrentHashMap<>();
    /** Each project's credentials; guarded by {@link #lock}. */
    private final Map<String, ProjectCredentials> credentials = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Users the server itself connects as (e.g. to clean up): not counted against an account's connections. */
    private final Set<String> internalUsers = ConcurrentHashMap.newKeySet();
    private volatile Optional<Broker> broker = Optional.empty();

    private ProjectAccounts(OperatorIdentity identity, Duration memberTtl) {
        this.identity = identity;
        this.memberTtl = memberTtl;
        this.files = new ProjectAccountFiles(identity.directory());
        this.resolver = JwtMemoryResolver.preloaded(List.of(identity.systemAccountJwt(), identity.appAccountJwt()));
        Instant now = now();
        for (ProjectAccountFiles.Loaded loaded : files.loadAll()) {
            ProjectAccount p = loaded.account();
            ProjectCredentials held = ProjectCredentials.of(loaded.credentials());
            held.dropExpired(now);
            projects.put(p.projectId(), p);
            credentials.put(p.projectId(), held);
            resolver.store(identity.issueAccountJwt(p.claims(held.revocations())));
        }
        OperatorAuthenticator operator = OperatorAuthenticator.builder()
                .trustedOperator(identity.operatorJwt())
                .resolver(resolver)
                .clock(identity.clock())
                // ProjectAuthenticator applies the accounts' conn limits, leaving Pocketbus's internal users out
                .accountConnectionLimit(false)
                .build();
        this.authenticator = new ProjectAuthenticator(operator, () -> broker, internalUsers::contains);
        LOG.info("restored {} project account(s)", projects.size());
    }

    /** Opens the project accounts kept with this identity; member credentials live {@link #DEFAULT_MEMBER_TTL}. */
    public static ProjectAccounts open(OperatorIdentity identity) {
        return open(identity, DEFAULT_MEMBER_TTL);
    }

    /** Opens the project accounts kept with this identity; member credentials live {@code memberTtl}. */
    public static ProjectAccounts open(OperatorIdentity identity, Duration memberTtl) {
        if (memberTtl.isNegative() || memberTtl.isZero()) {
            throw new IllegalArgumentException("member credentials need a positive lifetime");
        }
        return new ProjectAccounts(Objects.requireNonNull(identity), memberTtl);
    }

    /** Operator-mode authentication for the embedded broker, with the accounts' connection limits. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Sets the builder's authenticator and system account to this operator's. */
    public BrokerBuilder configure(BrokerBuilder builder) {
        return builder.authenticator(authenticator).systemAccount(identity.systemAccountPublicKey());
    }

    /**
     * The broker the authenticator serves: needed to count an account's connections and to close revoked
     * credentials' connections at once.
     */
    public void attach(Broker broker) {
        this.broker = Optional.of(broker);
        projects.values().forEach(p -> applyJetStreamLimits(broker, p));
    }

    public OperatorIdentity identity() {
        return identity;
    }

    /** Creates the project's account with these limits; if it exists already, updates its limits. */
    public String provision(String projectId, ProjectLimits limits) {
        ProjectAccountFiles.requireProjectId(projectId);
        Objects.requireNonNull(limits);
        return mutate(projectId, existing -> existing
                .map(p -> p.withLimits(limits))
                .orElseGet(() -> new ProjectAccount(projectId, NKey.create(NKey.Type.ACCOUNT, identity.random()),
                        NKey.create(NKey.Type.ACCOUNT, identity.random()), limits)))
                .account().publicKey();
    }

    /** Replaces the project's limits. New connections get them at once; open ones keep their payload limit. */
    public void updateLimits(String projectId, ProjectLimits limits) {
        Objects.requireNonNull(limits);
        mutate(projectId, existing -> existing.orElseThrow(() -> ProjectAccountException.projectNotFound(projectId))
                .withLimits(limits));
    }

    /** Removes the project's account: its users are refused from now on and its connections are closed. */
    public void remove(String projectId) {
        lock.lock();
        try {
            ProjectAccount p = projects.remove(ProjectAccountFiles.requireProjectId(projectId));
            if (p == null) {
                return;
            }
            credentials.remove(projectId);
            String account = p.account().publicKey();
            broker.ifPresent(b -> deleteStreams(b, p));
            files.delete(projectId);
            resolver.delete(account);
            broker.ifPresent(b -> b.closeConnections(c -> c.account().equals(account), CloseReason.AUTHENTICATION_REVOKED));
            LOG.info("removed the account of project {}", projectId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the account's streams (KV buckets and object stores included) with a one-minute credential of
     * its own, which the account's connection limit does not count, while the account still exists.
     */
    private void deleteStreams(Broker b, ProjectAccount p) {
        NKey cleaner = NKey.create(NKey.Type.USER, identity.random());
        String jwt = NatsJwt.issue(JwtUserClaims.builder(cleaner.publicKey()).name("pocketbus-cleanup")
                .issuerAccount(p.account().publicKey()).expires(now().plus(Duration.ofMinutes(1))).build(),
                p.signingKey(), identity.clock());
        internalUsers.add(cleaner.publicKey());
        try {
            int deleted = ProjectStreams.deleteAll(b, p.projectId(), jwt, cleaner.seed().orElseThrow());
            LOG.info("deleted {} stream(s) of project {}", deleted, p.projectId());
        } finally {
            internalUsers.remove(cleaner.publicKey());
        }
    }

    /** The project's account public key ({@code A…}). */
    public Optional<String> accountPublicKey(String projectId) {
        return Optional.ofNullable(projects.get(projectId)).map(p -> p.account().publicKey());
    }

    public Optional<ProjectLimits> limits(String projectId) {
        return Optional.ofNullable(projects.get(projectId)).map(ProjectAccount::limits);
    }

    /** The ids of the projects with an account, sorted. */
    public List<String> projectIds() {
        return projects.keySet().stream().sorted().toList();
    }

    /**
     * Calls {@code listener} after every change of an account JWT (a project provisioned, updated or removed, a
     * credential revoked), synchronously, before the change returns; {@link #resolverPreload()} then holds it.
     */
    public void onAccountsChanged(Runnable listener) {
        resolver.onUpdate(Objects.requireNonNull(listener, "listener"));
    }

    /** Every account JWT (system, app, projects) by account public key: a nats-server's {@code resolver_preload}. */
    public Map<String, String> resolverPreload() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : accountKeys()) {
            resolver.fetch(key).ifPresent(jwt -> out.put(key, jwt));
        }
        return out;
    }

    /**
     * The operator-mode part of a nats-server configuration serving these accounts from its MEMORY resolver:
     * {@code operator}, {@code system_account}, {@code resolver} and {@code resolver_preload}. A MEMORY resolver
     * is fixed at start: changes (new projects, revocations) need the configuration rendered again and reloaded.
     *
     * @param operatorJwtFile where the nats-server will find {@link OperatorIdentity#operatorJwt()}
     */
    public String natsServerConfig(Path operatorJwtFile) {
        String path = operatorJwtFile.toString().replace("\\", "\\\\").replace("\"", "\\\"");
        StringBuilder config = new StringBuilder()
                .append("operator: \"").append(path).append("\"\n")
                .append("system_account: ").append(identity.systemAccountPublicKey()).append('\n')
                .append("resolver: MEMORY\n")
                .append("resolver_preload: {\n");
        resolverPreload().forEach((key, jwt) -> config.append("  ").append(key).append(": \"").append(jwt).append("\"\n"));
        return config.append("}\n").toString();
    }

    private List<String> accountKeys() {
        List<String> keys = new ArrayList<>(List.of(identity.systemAccountPublicKey(), identity.appAccountPublicKey()));
        projects.values().forEach(p -> keys.add(p.account().publicKey()));
        return keys;
    }

    /**
     * A short-lived user JWT and nkey seed for a member of the project's group (for {@code nats.ws} in a
     * browser), with the role's permissions.
     */
    public IssuedCredential issueMemberCredentials(String projectId, String userId, ProjectRole role) {
        requireName(userId, "user id");
        Instant now = now();
        return issue(projectId, CredentialInfo.Kind.MEMBER, userId, Optional.of(userId), Optional.of(role),
                Optional.empty(), role.permissions(), Optional.of(now.plus(memberTtl)));
    }

    /** A named service credential with a scope and an optional expiry, to be downloaded as a {@code .creds} file. */
    public IssuedCredential createServiceCredential(String projectId, String name, CredentialScope scope,
            Optional<Instant> expires) {
        requireName(name, "name");
        Instant now = now();
        if (expires.filter(e -> !e.isAfter(now)).isPresent()) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID, "The expiry must be in the future.");
        }
        return issue(projectId, CredentialInfo.Kind.SERVICE, name, Optional.empty(), Optional.empty(), Optional.of(scope),
                scope.toPermissions(), expires);
    }

    private IssuedCredential issue(String projectId, CredentialInfo.Kind kind, String name, Optional<String> userId,
            Optional<ProjectRole> role, Optional<CredentialScope> scope, Permissions permissions, Optional<Instant> expiry) {
        // JWT times are whole seconds: the listing says what the JWT says
        Optional<Instant> expires = expiry.map(e -> Instant.ofEpochSecond(e.getEpochSecond()));
        // the key and the signature, the costly part, are made outside the lock: issuances run in parallel
        ProjectAccount p = require(projectId);
        NKey user = NKey.create(NKey.Type.USER, identity.random());
        JwtUserClaims.Builder claims = JwtUserClaims.builder(user.publicKey()).name(name).permissions(permissions)
                .issuerAccount(p.account().publicKey());
        expires.ifPresent(claims::expires);
        // the JWT says iat = now, in whole seconds: the listing and revocations by issue time say the same
        Instant issuedAt = now();
        String jwt = NatsJwt.issue(claims.build(), p.signingKey(), Clock.fixed(issuedAt, ZoneOffset.UTC));
        CredentialInfo info = new CredentialInfo(user.publicKey(), kind, name, userId, role, scope, issuedAt,
                expires, Optional.empty());
        lock.lock();
        try {
            if (!require(projectId).account().equals(p.account())) {
                // removed and provisioned again meanwhile: the JWT names an account that is gone
                throw ProjectAccountException.projectNotFound(projectId);
            }
            ProjectCredentials held = credentials.get(projectId);
            boolean revocationsChanged = held.dropExpiredMembers(issuedAt);
            files.append(projectId, List.of(info), kind == CredentialInfo.Kind.SERVICE);
            held.put(info);
            if (revocationsChanged) {
                publish(p, held);
            }
            compactIfDue(p, held, issuedAt);
            return new IssuedCredential(info, jwt, user.seed().orElseThrow());
        } finally {
            lock.unlock();
        }
    }

    /** The project's credentials that have not expired, revoked ones included; never their seeds. */
    public List<CredentialInfo> listCredentials(String projectId) {
        lock.lock();
        try {
            require(projectId);
            return credentials.get(projectId).live(now());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Revokes a credential by its id (user public key): the account JWT gets a revocation for it, is
     * re-published, and the credential's live connections are closed at once.
     *
     * @return whether it was an active credential of the project
     */
    public boolean revoke(String projectId, String credentialId) {
        return revokeWhere(projectId, c -> c.id().equals(credentialId)) > 0;
    }

    /** Revokes every active credential issued to a member, e.g. when they leave the group; returns how many. */
    public int revokeMember(String projectId, String userId) {
        return revokeWhere(projectId, c -> c.kind() == CredentialInfo.Kind.MEMBER && c.userId().equals(Optional.of(userId)));
    }

    private int revokeWhere(String projectId, Predicate<CredentialInfo> which) {
        lock.lock();
        try {
            ProjectAccount p = require(projectId);
            Instant now = now();
            ProjectCredentials held = credentials.get(projectId);
            held.dropExpired(now);
            List<CredentialInfo> changed = held.revoke(which, now);
            if (changed.isEmpty()) {
                return 0;
            }
            files.append(projectId, changed, true);
            publish(p, held);
            List<String> revoked = changed.stream().map(CredentialInfo::id).toList();
            String account = p.account().publicKey();
            broker.ifPresent(b -> b.closeConnections(
                    c -> c.account().equals(account) && revoked.contains(c.authorizedUser()),
                    CloseReason.AUTHENTICATION_REVOKED));
            LOG.info("revoked {} credential(s) of project {}", revoked.size(), projectId);
            return revoked.size();
        } finally {
            lock.unlock();
        }
    }

    private ProjectAccount mutate(String projectId,
            Function<Optional<ProjectAccount>, ProjectAccount> change) {
        lock.lock();
        try {
            ProjectAccount updated = change.apply(Optional.ofNullable(projects.get(projectId)));
            ProjectCredentials held = credentials.computeIfAbsent(projectId, id -> new ProjectCredentials());
            boolean revocationsChanged = held.dropExpired(now());
            files.save(updated, held.all());
            ProjectAccount before = projects.put(projectId, updated);
            // the same limits again leave the account JWT as it was: nothing to sign and push again
            if (revocationsChanged || !updated.equals(before)) {
                publish(updated, held);
            }
            return updated;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes the re-issued account JWT (which tells the broker's listeners) and applies its JetStream limits
     * to the broker, as nats-server applies an updated account JWT's. Called once the change is persisted.
     */
    private void publish(ProjectAccount p, ProjectCredentials held) {
        resolver.store(identity.issueAccountJwt(p.claims(held.revocations())));
        broker.ifPresent(b -> applyJetStreamLimits(b, p));
    }

    /** Folds the journal into the snapshot once it has grown well past the live credentials. */
    private void compactIfDue(ProjectAccount p, ProjectCredentials held, Instant now) {
        if (files.journalOutgrows(p.projectId(), held.size())) {
            if (held.dropExpired(now)) {
                publish(p, held);
            }
            files.save(p, held.all());
        }
    }

    private static void applyJetStreamLimits(Broker b, ProjectAccount p) {
        b.applyJetStreamLimits(p.account().publicKey(), JetStreamLimits.of(p.limits().toJwtLimits()));
    }

    private ProjectAccount require(String projectId) {
        ProjectAccount p = projects.get(projectId);
        if (p == null) {
            throw ProjectAccountException.projectNotFound(projectId);
        }
        return p;
    }

    private Instant now() {
        return Instant.ofEpochSecond(identity.clock().instant().getEpochSecond());
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID, "Invalid " + what + ".");
        }
    }
}
