package io.pocketbus.http;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A byte-stream protocol carried over WebSocket binary frames at a path of the HTTP server (the distribution
 * puts the NATS broker at {@code /api/nats} this way, so a page reaches it on the origin it was served from).
 * The HTTP server does the upgrade and moves bytes; what they mean is the tunnel's business.
 */
@FunctionalInterface
public interface WebSocketTunnel {

    /**
     * Opens the far end for one upgraded client.
     *
     * @param remoteHost the client's address, for the far end's authentication and monitoring
     * @param remotePort the client's port
     */
    Endpoint open(String remoteHost, int remotePort);

    /** The far end of one client's tunnel: what the client sends goes to {@link #output()}. */
    interface Endpoint extends AutoCloseable {
        /** Bytes for the client, sent as binary frames; end of stream closes the WebSocket. */
        InputStream input();

        /** Receives the payload of the client's frames. */
        OutputStream output();

        /** Releases the far end; called when the WebSocket closes. */
        @Override
        void close();
    }
}
