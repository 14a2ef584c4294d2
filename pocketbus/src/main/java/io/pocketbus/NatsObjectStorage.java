package io.pocketbus;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.Options;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.CredsFile;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.ObjectStorage;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The app's {@link ObjectStorage}: buckets of a NATS server's Object Store through one jnats connection, made
 * on first use — the embedded broker (which starts after the app is built) or any NATS server, so several
 * Pocketbus nodes on the same NATS share their files. A missing bucket is created with file storage.
 */
final class NatsObjectStorage implements ObjectStorage {
    /** JetStream error code "stream not found": the bucket does not exist yet. */
    private static final int STREAM_NOT_FOUND = 10059;

    private final Supplier<Options> options;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    /** {@code options} is asked once, at the first {@link #open}. */
    NatsObjectStorage(Supplier<Options> options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * On the embedded broker, connected over loopback once it runs — with the app account's credentials when
     * given — and without reconnecting: the connection ends only when the broker stops, just before the app.
     */
    static NatsObjectStorage onBroker(Supplier<Broker> broker, Supplier<Optional<CredsFile>> credentials) {
        return new NatsObjectStorage(() -> EmbeddedBrokerClient.options(broker.get(), credentials.get(),
                "pocketbus-files").build());
    }

    @Override
    public FileStorage open(String bucket) {
        try {
            Connection nc = connection();
            ObjectStoreManagement management = nc.objectStoreManagement();
            try {
                management.getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                management.create(ObjectStoreConfiguration.builder(bucket).storageType(StorageType.File).build());
            }
            return new ObjectStoreFileStorage(nc.objectStore(bucket));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot open the Object Store bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    private Connection connection() throws IOException {
        lock.lock();
        try {
            if (connection == null) {
                connection = Nats.connect(options.get());
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to NATS", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
