package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Field;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordEvents;
import io.pocketbus.core.spi.MessageBus;
import io.pocketbus.tools.hook.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PocketBase's realtime broker for one {@link App}: the connected SSE clients and the delivery of record
 * changes to them. It is a subscriber of the app's record events ({@code pb.records.>} on its
 * {@link MessageBus}), never called from the record save path, so a change made on any node that shares the
 * bus reaches the clients of every node.
 */
public final class Realtime {
    private static final Logger LOG = LoggerFactory.getLogger(Realtime.class);
    private static final ConcurrentHashMap<App, Realtime> BY_APP = new ConcurrentHashMap<>();
    private static final String TERMINATE_HANDLER_ID = "__pb_realtime_terminate__";

    /** A stream with no frame for this long is ended (the SDK reconnects). */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** A stream is ended after this long, however busy. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(30);

    private final App app;
    private final ConcurrentHashMap<String, RealtimeClient> clients = new ConcurrentHashMap<>();
    private final MessageBus.Subscription subscription;
    private volatile Duration idleTimeout = IDLE_TIMEOUT;
    private volatile Duration maxLifetime = MAX_LIFETIME;

    private Realtime(App app) {
        this.app = app;
        this.subscription = app.messageBus().subscribe(RecordEvents.ALL, this::onRecordEvent);
        app.onTerminate().bind(Handler.of(TERMINATE_HANDLER_ID, e -> {
            BY_APP.remove(app, this);
            close();
            e.next();
        }));
    }

    /** The realtime broker of {@code app}, created (and subscribed to its bus) on first use. */
    public static Realtime of(App app) {
        return BY_APP.computeIfAbsent(Objects.requireNonNull(app, "app"), Realtime::new);
    }

    /** The realtime broker of {@code app} if one was created. */
    public static Optional<Realtime> find(App app) {
        return Optional.ofNullable(BY_APP.get(app));
    }

    /** Changes the idle timeout and the maximum lifetime of streams opened from now on. */
    public void timeouts(Duration idle, Duration lifetime) {
        if (idle.isNegative() || idle.isZero() || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("realtime timeouts must be positive");
        }
        this.idleTimeout = idle;
        this.maxLifetime = lifetime;
    }

    /** How many clients are connected. */
    public int clientCount() {
        return clients.size();
    }

    /** Whether the client {@code clientId} is connected and holds the subscription {@code name}. */
    public boolean hasSubscription(String clientId, String name) {
        return client(clientId).map(c -> c.hasSubscription(name)).orElse(false);
    }

    /** The address the client {@code clientId} connected from. */
    public Optional<String> clientIp(String clientId) {
        return client(clientId).map(RealtimeClient::remoteIp);
    }

    /**
     * Sends a frame {@code event:<event>} with {@code data:<jsonData>} (one line of JSON) to the client
     * {@code clientId} if it holds a subscription named {@code event} (e.g. {@code @oauth2}). Returns whether
     * it was queued.
     */
    public boolean send(String clientId, String event, String jsonData) {
        if (jsonData.indexOf('\n') >= 0 || jsonData.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("realtime data must be a single line");
        }
        return client(clientId).filter(c -> c.hasSubscription(event))
                .map(c -> c.send(new RealtimeClient.Frame(event, jsonData))).orElse(false);
    }

    /** Removes the subscription {@code name} of the client {@code clientId}, if it has one. */
    public void unsubscribe(String clientId, String name) {
        client(clientId).ifPresent(c -> c.setSubscriptions(
                c.subscriptions().stream().filter(s -> !s.raw().equals(name)).toList()));
    }

    /** Ends every stream (the clients reconnect, to this or another node). */
    public void disconnectAll() {
        clients.values().forEach(RealtimeClient::end);
    }

    Optional<RealtimeClient> client(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    private void close() {
        subscription.unsubscribe();
        disconnectAll();
    }

    /**
     * Serves one SSE stream: registers a client, sends {@code PB_CONNECT}, then writes its frames until the
     * idle timeout, the maximum lifetime, a disconnect, or a failed write.
     */
    void serve(RequestEvent e) {
        RealtimeClient client = new RealtimeClient(e.remoteIp());
        clients.put(client.id(), client);
        try {
            e.setHeader("Cache-Control", "no-store");
            e.setHeader("X-Accel-Buffering", "no");
            OutputStream out = e.stream(200, "text/event-stream; charset=UTF-8");
            write(out, client.id(), new RealtimeClient.Frame("PB_CONNECT",
                    "{\"clientId\":\"" + client.id() + "\"}"));
            long idle = idleTimeout.toMillis();
            long deadline = System.nanoTime() + maxLifetime.toNanos();
            while (true) {
                long wait = Math.min(idle, (deadline - System.nanoTime()) / 1_000_000);
                if (wait <= 0) {
                    break;
                }
                Optional<RealtimeClient.Frame> frame = client.next(wait);
                if (frame.isEmpty()) {
                    break;
                }
                write(out, client.id(), frame.get());
            }
        } catch (IOException ex) {
            LOG.debug("realtime client {} went away: {}", client.id(), ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client.id(), client);
        }
    }

    private static void write(OutputStream out, String clientId, RealtimeClient.Frame frame) throws IOException {
        String text = "id:" + clientId + "\nevent:" + frame.event() + "\ndata:" + frame.data() + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A record event from the bus: refresh or drop the auth bound to clients, then deliver. */
    private void onRecordEvent(MessageBus.Message message) {
        // with no client on this node there is no one to deliver to and no bound auth to refresh
        if (clients.isEmpty()) {
            return;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(message.data());
        } catch (IOException ex) {
            LOG.warn("unreadable record event on {}", message.subject(), ex);
            return;
        }
        String action = body.path("action").asText();
        JsonNode json = body.path("record");
        Optional<Collection> collection = app.findCollectionByNameOrId(json.path("collectionId").asText())
                .or(() -> app.findCollectionByNameOrId(json.path("collectionName").asText()));
        if (collection.isEmpty() || !List.of("create", "update", "delete").contains(action)) {
            return;
        }
        Record record = recordOf(collection.get(), json);
        if (collection.get().isAuth() && !action.equals("create")) {
            refreshAuth(record, action);
        }
        Collection c = collection.get();
        // Subscribers who see the event alike get the same frame: computed once per event (fan-out hot spot)
        Map<FrameKey, Optional<String>> frames = new HashMap<>();
        for (RealtimeClient client : clients.values()) {
            for (RealtimeSubscription sub : client.subscriptions()) {
                Optional<RealtimeSubscription.Kind> kind = sub.match(c.id(), c.name(), record.id());
                if (kind.isPresent()) {
                    deliver(client, sub, kind.get(), action, record, frames);
                }
            }
        }
    }

    /**
     * What a frame's data depends on besides the event: the subscriber's auth (the very record bound to it, or
     * none for a guest; {@link Record} has identity equality), the kind of match, and the options the rules see.
     */
    private record FrameKey(Record auth, RealtimeSubscription.Kind kind, Map<String, String> query,
                            Map<String, String> headers) {
        static FrameKey of(Optional<Record> auth, RealtimeSubscription sub, RealtimeSubscription.Kind kind) {
            return new FrameKey(auth.orElse(null), kind, sub.query(), sub.headers());
        }
    }

    private void deliver(RealtimeClient client, RealtimeSubscription sub, RealtimeSubscription.Kind kind,
                         String action, Record record, Map<FrameKey, Optional<String>> frames) {
        Optional<String> data;
        try {
            Optional<Record> auth = client.auth();
            FrameKey key = FrameKey.of(auth, sub, kind);
            data = frames.get(key);
            if (data == null) {
                data = RealtimeAccess.frameData(app, auth, sub, kind, action, record);
                frames.put(key, data);
            }
        } catch (RuntimeException e) {
            // one subscriber's failing check must not cost the others their event
            LOG.warn("realtime delivery of {} to {} failed", record, client.id(), e);
            return;
        }
        if (data.isPresent() && !client.send(new RealtimeClient.Frame(sub.raw(), data.get()))) {
            LOG.warn("realtime client {} is not reading: event dropped", client.id());
        }
    }

    private static Record recordOf(Collection collection, JsonNode json) {
        Record record = new Record(collection);
        for (Field field : collection.fields()) {
            JsonNode value = json.get(field.name());
            if (value != null) {
                record.set(field.name(), Json.MAPPER.convertValue(value, Object.class));
            }
        }
        record.markAsNew(false);
        return record;
    }

    /**
     * Keeps the auth bound to clients current: a deleted auth record, or one whose tokenKey changed, turns
     * its clients into guests, as PocketBase does.
     */
    private void refreshAuth(Record changed, String action) {
        for (RealtimeClient client : clients.values()) {
            Optional<Record> auth = client.auth();
            if (auth.isEmpty() || !auth.get().id().equals(changed.id())
                    || !auth.get().collection().id().equals(changed.collection().id())) {
                continue;
            }
            Optional<Record> current = action.equals("delete") ? Optional.empty()
                    : app.findRecordById(changed.collection(), changed.id())
                            .filter(r -> r.tokenKey().equals(auth.get().tokenKey()));
            client.setAuth(current);
        }
    }
}
