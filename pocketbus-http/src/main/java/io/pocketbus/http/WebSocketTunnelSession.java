package io.pocketbus.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded client of a {@link WebSocketTunnel}: frames in are written to the far end; a virtual thread
 * pumps the far end's output into binary frames, one send at a time so frames keep their order. Public
 * only because Jetty invokes listeners reflectively; created by {@link HttpServer} alone.
 */
public final class WebSocketTunnelSession implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnelSession.class);
    private static final int MAX_FRAME = 64 * 1024;

    private final WebSocketTunnel tunnel;
    private final String remoteHost;
    private final int remotePort;
    private volatile WebSocketTunnel.Endpoint endpoint;

    WebSocketTunnelSession(WebSocketTunnel tunnel, String remoteHost, int remotePort) {
        this.tunnel = tunnel;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        WebSocketTunnel.Endpoint e;
        try {
            e = tunnel.open(remoteHost, remotePort);
        } catch (RuntimeException ex) {
            LOG.warn("WebSocket tunnel refused a client from {}", remoteHost, ex);
            session.close(StatusCode.SERVER_ERROR, "unavailable", Callback.NOOP);
            return;
        }
        endpoint = e;
        Thread.ofVirtual().name("pocketbus-ws-tunnel").start(() -> pump(e.input(), session));
    }

    private void pump(InputStream in, Session session) {
        byte[] buf = new byte[MAX_FRAME];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                Callback.Completable sent = new Callback.Completable();
                session.sendBinary(ByteBuffer.wrap(buf, 0, n), sent);
                sent.get();
            }
            session.close(StatusCode.NORMAL, null, Callback.NOOP);
        } catch (IOException | ExecutionException e) {
            LOG.debug("WebSocket tunnel to {} ended", remoteHost, e);
            session.close(StatusCode.NORMAL, null, Callback.NOOP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close(StatusCode.SHUTDOWN, null, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        forward(payload, callback);
    }

    @Override
    public void onWebSocketText(String message) {
        forward(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    }

    private void forward(ByteBuffer payload, Callback callback) {
        WebSocketTunnel.Endpoint e = endpoint;
        if (e == null) {
            callback.succeed();
            return;
        }
        try {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            e.output().write(bytes);
            e.output().flush();
            callback.succeed();
        } catch (IOException ex) {
            callback.fail(ex);
            e.close();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        WebSocketTunnel.Endpoint e = endpoint;
        if (e != null) {
            e.close();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket tunnel error from {}", remoteHost, cause);
        onWebSocketClose(StatusCode.SERVER_ERROR, null);
    }
}
