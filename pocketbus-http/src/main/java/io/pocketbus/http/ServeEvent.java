package io.pocketbus.http;

import io.pocketbus.tools.hook.Event;

/**
 * Fired once when the HTTP server starts, before it routes any request: the place to add routes and
 * middlewares ({@code e.router().get(...)}). The server starts listening when the chain completes, so a
 * handler that does not call {@code e.next()} keeps it from starting.
 */
public final class ServeEvent extends Event {
    private final Router router;
    private final HttpServer server;

    ServeEvent(Router router, HttpServer server) {
        this.router = router;
        this.server = server;
    }

    public Router router() {
        return router;
    }

    public HttpServer server() {
        return server;
    }
}
