package io.pocketbus.http;

import io.pocketbus.core.App;
import io.pocketbus.tools.hook.Hook;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.List;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: Jetty 12 core handlers with every request on its own virtual thread, routed by a
 * {@link Router}. Starting fires {@link #onServe()} so routes can be added; stopping refuses new requests
 * and waits up to the grace period for the ones in flight.
 */
public final class HttpServer {
    private final String host;
    private final int port;
    private final boolean gzip;
    private final Duration gracePeriod;
    private final Router router;
    private final App app;
    private final Hook<ServeEvent> onServe = new Hook<>();
    private final ReentrantLock lock = new ReentrantLock();
    private Server jetty;
    private ServerConnector connector;

    private HttpServer(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.gzip = builder.gzip;
        this.gracePeriod = builder.gracePeriod;
        this.router = builder.router;
        this.app = builder.app;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hook fired on {@link #start()}, before the routes are frozen: bind handlers to add routes. */
    public Hook<ServeEvent> onServe() {
        return onServe;
    }

    public Router router() {
        return router;
    }

    /** Fires {@link #onServe()}, then binds the address and starts serving. */
    public void start() {
        lock.lock();
        try {
            if (jetty != null) {
                throw new IllegalStateException("the HTTP server is already started");
            }
            onServe.trigger(new ServeEvent(router, this), e -> listen(e.router().build()));
        } finally {
            lock.unlock();
        }
    }

    private void listen(Router.Mux mux) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("pocketbus-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        // ids and names are matched per segment, so an encoded '/' inside one is not ambiguous to us
        config.setUriCompliance(UriCompliance.DEFAULT.with("pocketbus",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector serverConnector = new ServerConnector(server, new HttpConnectionFactory(config));
        serverConnector.setHost(host);
        serverConnector.setPort(port);
        server.addConnector(serverConnector);

        Handler handler = new RouterHandler(mux, app);
        if (gzip) {
            CompressionHandler compression = new CompressionHandler(handler);
            compression.putCompression(new GzipCompression());
            CompressionConfig.Builder compressionConfig = CompressionConfig.builder().defaults();
            for (String method : List.of("GET", "POST", "PATCH", "PUT", "DELETE")) {
                compressionConfig.compressIncludeMethod(method);
            }
            compression.putConfiguration("/", compressionConfig.build());
            handler = compression;
        }
        server.setHandler(new GracefulHandler(handler));
        server.setStopTimeout(gracePeriod.toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        jetty = server;
        connector = serverConnector;
    }

    /** The bound port (the real one when started on port 0). */
    public int port() {
        ServerConnector c = connector;
        if (c == null) {
            throw new IllegalStateException("the HTTP server is not started");
        }
        return c.getLocalPort();
    }

    public String host() {
        return host;
    }

    /** The address clients reach the server at, e.g. {@code http://127.0.0.1:8090}. */
    public String baseUrl() {
        String shown = host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
        if (shown.contains(":")) {
            shown = "[" + shown + "]";
        }
        return "http://" + shown + ":" + port();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port());
    }

    public boolean isRunning() {
        Server s = jetty;
        return s != null && s.isRunning();
    }

    /** Stops accepting requests, lets in-flight ones finish within the grace period, and releases the port. */
    public void stop() {
        lock.lock();
        try {
            if (jetty == null) {
                return;
            }
            // realtime streams never finish on their own: end them so the graceful stop does not wait
            if (app != null) {
                Realtime.find(app).ifPresent(Realtime::disconnectAll);
            }
            try {
                jetty.stop();
            } catch (Exception e) {
                throw new IllegalStateException("failed to stop the HTTP server: " + e.getMessage(), e);
            } finally {
                jetty = null;
                connector = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Jetty's entry point: each request becomes a {@link RequestEvent} dispatched through the routes. */
    private static final class RouterHandler extends Handler.Abstract {
        private final Router.Mux mux;
        private final App app;

        RouterHandler(Router.Mux mux, App app) {
            this.mux = mux;
            this.app = app;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            JettyExchange exchange = new JettyExchange(request, response);
            try {
                mux.dispatch(new RequestEvent(exchange, app));
                exchange.complete(callback);
            } catch (RuntimeException e) {
                callback.failed(e);
            }
            return true;
        }
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8090;
        private boolean gzip = true;
        private Duration gracePeriod = Duration.ofSeconds(10);
        private Router router = new Router();
        private App app;

        private Builder() {
        }

        /** The application the handlers reach through {@link RequestEvent#app()}. */
        public Builder app(App value) {
            this.app = Objects.requireNonNull(value, "app");
            return this;
        }

        /** {@code host:port}, e.g. {@code 127.0.0.1:8090}; port 0 picks a free port. */
        public Builder address(String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected host:port, got " + hostAndPort);
            }
            String h = hostAndPort.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            try {
                return address(h, Integer.parseInt(hostAndPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port in " + hostAndPort, e);
            }
        }

        public Builder address(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid port " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** Compress responses for clients that accept gzip (on by default). */
        public Builder gzip(boolean enabled) {
            this.gzip = enabled;
            return this;
        }

        /** How long {@link HttpServer#stop()} waits for in-flight requests (10 s by default). */
        public Builder gracePeriod(Duration period) {
            this.gracePeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** The router to serve; a fresh empty one by default. */
        public Builder router(Router value) {
            this.router = Objects.requireNonNull(value, "router");
            return this;
        }

        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}
