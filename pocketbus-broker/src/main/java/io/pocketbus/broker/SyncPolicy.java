package io.pocketbus.broker;

/** When a file store forces its writes to the disk. */
public enum SyncPolicy {
    /**
     * Every write reaches the operating system ({@code write()} returns) before the store call returns,
     * as nats-server does by default: nothing acknowledged is lost when the process dies, but an OS
     * crash or power loss may lose the writes not yet flushed by the OS. Segments are forced when
     * sealed and on close.
     */
    WRITE,
    /**
     * Additionally fsync before anything is acknowledged, by group commit: appends do not wait for the
     * disk, one {@code FileChannel.force} covers every append made while the previous one ran, and the
     * acknowledgements it covers are released together ({@link StreamStore#whenDurable}). Throughput grows
     * with the publishes in flight; a lone synchronous publisher waits for one fsync per message.
     */
    ALWAYS
}
