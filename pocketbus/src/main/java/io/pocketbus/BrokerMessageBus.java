package io.pocketbus;

import io.nats.client.Options;
import io.pocketbus.broker.Broker;
import io.pocketbus.core.spi.MessageBus;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The app's {@link MessageBus} on the embedded broker, in the app's own account: NATS clients with the app
 * account's credentials (or any client when the broker runs without authorization) see the record events.
 * The broker starts after the app is bootstrapped, so the connection is made on first use once the broker
 * runs; until then nothing can be subscribed on the broker, and publishing has no one to reach. Delivery is
 * {@link NatsMessageBus}'s: one dispatcher per subscription, slow subscribers lose messages, the publisher
 * never waits.
 */
final class BrokerMessageBus implements MessageBus {
    private final Supplier<Broker> broker;
    private final Supplier<Options> options;
    private final ReentrantLock lock = new ReentrantLock();
    // read without the lock on the publish path once connected
    private volatile Optional<NatsMessageBus> connected = Optional.empty();
    private boolean closed;

    /** {@code options} is asked once, when the first use finds the broker running. */
    BrokerMessageBus(Supplier<Broker> broker, Supplier<Options> options) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void publish(String subject, byte[] data, Map<String, String> headers) {
        connection().ifPresent(bus -> bus.publish(subject, data, headers));
    }

    @Override
    public Subscription subscribe(String subject, Handler handler) {
        return connection().orElseThrow(() -> new IllegalStateException(closed()
                ? "the message bus is closed" : "the NATS broker is not started yet")).subscribe(subject, handler);
    }

    private boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** The connection to the running broker, made now if needed; empty before the broker runs or once closed. */
    private Optional<NatsMessageBus> connection() {
        Optional<NatsMessageBus> current = connected;
        if (current.isPresent()) {
            return current;
        }
        lock.lock();
        try {
            if (connected.isEmpty() && !closed && broker.get().isReady()) {
                connected = Optional.of(NatsMessageBus.connect(options.get()));
            }
            return connected;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            connected.ifPresent(NatsMessageBus::close);
            connected = Optional.empty();
        } finally {
            lock.unlock();
        }
    }
}
