package io.pocketbus.broker;

import java.io.IOException;

/** The byte stream a connection is served over: a TCP socket, a WebSocket, or an in-process pipe. */
interface Transport {
    /** Blocks for at least one byte; -1 at end of stream. */
    int read(byte[] b, int off, int len) throws IOException;

    void write(byte[] b, int off, int len) throws IOException;

    /** Closes both directions and unblocks a pending read or write; idempotent. */
    void close();

    String remoteHost();

    int remotePort();

    /** "tcp", "websocket" or "in-process", as {@code ConnectAttempt.transport} reports it. */
    String kind();
}
