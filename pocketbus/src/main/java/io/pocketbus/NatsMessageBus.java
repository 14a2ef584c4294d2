package io.pocketbus;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.core.spi.MessageBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageBus} on an external NATS server or cluster (scale-out): every Pocketbus node connected to
 * the same NATS sees the others' record events, so realtime clients of any node receive every change.
 * Each subscription has its own jnats dispatcher (one thread, publish order kept); a subscriber that falls
 * behind is a NATS slow consumer and loses messages rather than holding up the publisher.
 */
public final class NatsMessageBus implements MessageBus {
    private static final Logger LOG = LoggerFactory.getLogger(NatsMessageBus.class);

    private final Connection connection;

    private NatsMessageBus(Connection connection) {
        this.connection = connection;
    }

    /** Connects to {@code url} (e.g. {@code nats://127.0.0.1:4222}, several separated by commas). */
    public static NatsMessageBus connect(String url) {
        return connect(options(url).build());
    }

    /** Connects to {@code url} as the user of a {@code .creds} file (a NATS server in operator mode). */
    public static NatsMessageBus connect(String url, Path credsFile) {
        if (!Files.isReadable(credsFile)) {
            throw new IllegalArgumentException("cannot read the NATS credentials file " + credsFile);
        }
        return connect(options(url).authHandler(Nats.credentials(credsFile.toString())).build());
    }

    /** Connects to {@code url} as the user of {@code creds}. */
    public static NatsMessageBus connect(String url, CredsFile creds) {
        return connect(options(url).authHandler(Nats.staticCredentials(creds.jwt().toCharArray(),
                creds.seed().toCharArray())).build());
    }

    private static Options.Builder options(String url) {
        return Options.builder().servers(url.split(",")).connectionName("pocketbus").maxReconnects(-1);
    }

    /** Connects with jnats {@code options} (credentials, TLS, reconnect policy). */
    public static NatsMessageBus connect(Options options) {
        try {
            return new NatsMessageBus(Nats.connect(options));
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to NATS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }

    @Override
    public void publish(String subject, byte[] data, Map<String, String> headers) {
        if (headers.isEmpty()) {
            connection.publish(subject, data);
            return;
        }
        Headers h = new Headers();
        headers.forEach(h::put);
        connection.publish(subject, h, data);
    }

    @Override
    public Subscription subscribe(String subject, Handler handler) {
        Dispatcher dispatcher = connection.createDispatcher(msg -> {
            Map<String, String> headers = new LinkedHashMap<>();
            if (msg.hasHeaders()) {
                msg.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().getFirst()));
            }
            try {
                handler.onMessage(new Message(msg.getSubject(), msg.getData(), headers));
            } catch (RuntimeException e) {
                LOG.warn("subscriber on {} failed for {}", subject, msg.getSubject(), e);
            }
        });
        dispatcher.subscribe(subject);
        // the SUB must reach the server before the caller relies on it
        try {
            connection.flush(Duration.ofSeconds(5));
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("NATS flush after subscribing to {} timed out", subject);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AtomicBoolean active = new AtomicBoolean(true);
        return new Subscription() {
            @Override
            public String subject() {
                return subject;
            }

            @Override
            public void unsubscribe() {
                // a closed connection (the embedded broker stops before the app) has no subscription left to stop
                if (active.compareAndSet(true, false) && connection.getStatus() != Connection.Status.CLOSED) {
                    connection.closeDispatcher(dispatcher);
                }
            }
        };
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
