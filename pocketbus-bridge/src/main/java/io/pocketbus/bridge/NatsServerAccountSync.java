package io.pocketbus.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.broker.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an external nats-server (or cluster) in operator mode with a {@code full} account resolver in step with
 * the {@link ProjectAccounts}: every account JWT (system, app, projects) is pushed on start and after each
 * change, on {@code $SYS.REQ.ACCOUNT.<account>.CLAIMS.UPDATE}, and a removed project's account is deleted with an
 * operator-signed {@code $SYS.REQ.CLAIMS.DELETE} (the resolver needs {@code allow_delete: true}). The server
 * applies an update at once: a revoked credential's live connections are closed, new limits hold, a deleted
 * account's clients are disconnected. It connects as a system-account user signed by the operator's identity.
 *
 * <p>A push that fails (server unreachable, refused) is logged and retried at the next change and whenever the
 * connection is re-established; what the server last acknowledged is tracked per account.
 */
public final class NatsServerAccountSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NatsServerAccountSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final String CLAIMS_DELETE = "$SYS.REQ.CLAIMS.DELETE";

    private final ProjectAccounts accounts;
    private final Connection connection;
    /** Account public key → the JWT the server acknowledged last. */
    private final Map<String, String> pushed = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    private NatsServerAccountSync(ProjectAccounts accounts, Options.Builder options) {
        this.accounts = accounts;
        CredsFile creds = accounts.identity().systemCredentials("pocketbus-account-sync");
        Options built = options.connectionName("pocketbus-account-sync").maxReconnects(-1)
                .authHandler(Nats.staticCredentials(creds.jwt().toCharArray(), creds.seed().toCharArray()))
                .connectionListener((conn, event) -> {
                    if (event == ConnectionListener.Events.RECONNECTED) {
                        // the server may have lost or missed updates while we were away
                        Thread.ofVirtual().start(this::resync);
                    }
                }).build();
        try {
            this.connection = Nats.connect(built);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to the NATS account resolver: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the NATS account resolver", e);
        }
    }

    /**
     * Connects to the nats-server(s) at {@code url} (several separated by commas), pushes every account JWT, and
     * pushes each later change before the change returns.
     */
    public static NatsServerAccountSync start(ProjectAccounts accounts, String url) {
        Objects.requireNonNull(url, "url");
        return start(accounts, Options.builder().servers(url.split(",")));
    }

    /** As {@link #start(ProjectAccounts, String)}, with jnats options for the servers, TLS and timeouts. */
    public static NatsServerAccountSync start(ProjectAccounts accounts, Options.Builder options) {
        NatsServerAccountSync sync = new NatsServerAccountSync(Objects.requireNonNull(accounts, "accounts"), options);
        accounts.onAccountsChanged(sync::sync);
        sync.sync();
        return sync;
    }

    /**
     * The operator-mode block of a nats-server configuration for these accounts with a {@code full} resolver
     * in {@code resolverDir} that allows deletes, the system account preloaded.
     *
     * @param operatorJwtFile where the nats-server finds {@link OperatorIdentity#operatorJwt()}
     */
    public static String fullResolverConfig(OperatorIdentity identity, Path operatorJwtFile, Path resolverDir) {
        return "operator: " + quoted(operatorJwtFile.toString()) + "\n"
                + "system_account: " + identity.systemAccountPublicKey() + "\n"
                + "resolver: {\n  type: full\n  dir: " + quoted(resolverDir.toString()) + "\n  allow_delete: true\n}\n"
                + "resolver_preload: {\n  " + identity.systemAccountPublicKey() + ": "
                + quoted(identity.systemAccountJwt()) + "\n}\n";
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Pushes what changed since the server's last acknowledgement; deletes the accounts that are gone. */
    private void sync() {
        if (closed) {
            return;
        }
        lock.lock();
        try {
            Map<String, String> current = accounts.resolverPreload();
            for (Map.Entry<String, String> e : current.entrySet()) {
                if (e.getValue().equals(pushed.get(e.getKey()))) {
                    continue;
                }
                Answer answer = push(e.getKey(), e.getValue());
                if (answer == Answer.ACKNOWLEDGED) {
                    pushed.put(e.getKey(), e.getValue());
                } else if (answer == Answer.NONE) {
                    // unreachable: the rest would each wait as long; they go at the next change or reconnect
                    return;
                }
            }
            List<String> gone = new ArrayList<>(pushed.keySet());
            gone.removeAll(current.keySet());
            if (!gone.isEmpty() && delete(gone) == Answer.ACKNOWLEDGED) {
                gone.forEach(pushed::remove);
            }
        } finally {
            lock.unlock();
        }
    }

    private void resync() {
        lock.lock();
        try {
            pushed.clear();
        } finally {
            lock.unlock();
        }
        sync();
    }

    /** How the resolver answered a request. */
    private enum Answer { ACKNOWLEDGED, REFUSED, NONE }

    private Answer push(String account, String jwt) {
        return request("$SYS.REQ.ACCOUNT." + account + ".CLAIMS.UPDATE", jwt, "update of account " + account);
    }

    /**
     * A generic JWT self-signed by the operator's signing key, listing the accounts in {@code nats.accounts}: the
     * only form nats-server accepts for deleting accounts from its resolver.
     */
    private Answer delete(List<String> accountKeys) {
        NKey signer = accounts.identity().operatorSigningKey();
        ObjectNode nats = JSON.createObjectNode();
        nats.putArray("accounts").addAll(accountKeys.stream().map(JSON.getNodeFactory()::textNode).toList());
        nats.put("type", "generic").put("version", 2);
        ObjectNode claims = JSON.createObjectNode();
        byte[] id = new byte[16];
        accounts.identity().random().nextBytes(id);
        claims.put("jti", HexFormat.of().formatHex(id));
        claims.put("iat", accounts.identity().clock().instant().getEpochSecond());
        claims.put("iss", signer.publicKey()).put("sub", signer.publicKey());
        claims.set("nats", nats);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}".getBytes(StandardCharsets.US_ASCII))
                + "." + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        String jwt = input + "." + b64.encodeToString(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
        return request(CLAIMS_DELETE, jwt, "deletion of account(s) " + accountKeys);
    }

    /** Sends one request to the resolver (the first server's answer counts). */
    private Answer request(String subject, String body, String what) {
        CompletableFuture<Message> reply = connection.request(subject, body.getBytes(StandardCharsets.UTF_8));
        try {
            JsonNode answer = JSON.readTree(reply.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .getData());
            if (answer.has("error")) {
                LOG.warn("nats-server refused the {}: {}", what, answer.path("error").path("description").asText());
                return Answer.REFUSED;
            }
            LOG.debug("nats-server: {} - {}", what, answer.path("data").path("message").asText());
            return Answer.ACKNOWLEDGED;
        } catch (TimeoutException | ExecutionException | IOException e) {
            LOG.warn("nats-server did not acknowledge the {} ({}); it is retried at the next change", what,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return Answer.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.NONE;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
