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
     * Additionally fsync before the store call returns. Concurrent writers share one
     * {@code FileChannel.force} (group commit), so throughput grows with the number of publishers.
     */
    ALWAYS
}
