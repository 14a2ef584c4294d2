package io.pocketbus.core;

/**
 * Opens {@link FileStorage}s on the buckets of an object store — the broker's NATS Object Store, provided by
 * the distribution, which has the broker the core never sees. The app opens the bucket its settings name
 * ({@code objectStore.bucket}) when {@code objectStore.enabled} is on, and closes the provider with itself.
 */
public interface ObjectStorage extends AutoCloseable {
    /** The storage on {@code bucket}, creating the bucket when it is missing. */
    FileStorage open(String bucket);

    @Override
    void close();
}
