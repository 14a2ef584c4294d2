package io.pocketbus.http;

import io.pocketbus.tools.hook.Handler;
import io.pocketbus.tools.hook.HookFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One route: a method ({@code ""} for any), a path pattern relative to its group, the action, and the
 * route's own middlewares. Middlewares are hook handlers: they run by priority and continue with
 * {@code e.next()}; the action runs last.
 */
public final class Route {
    private static final AtomicLong GENERATED_IDS = new AtomicLong();

    private final String method;
    private final String path;
    private final HookFunction<RequestEvent> action;
    private final List<Handler<RequestEvent>> middlewares = new ArrayList<>();
    private final Set<String> excludedMiddlewares = new HashSet<>();

    Route(String method, String path, HookFunction<RequestEvent> action) {
        this.method = method;
        this.path = path;
        this.action = action;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    HookFunction<RequestEvent> action() {
        return action;
    }

    /** Adds middlewares to this route only. A middleware with an id already bound replaces it. */
    @SafeVarargs
    public final Route bind(Handler<RequestEvent>... handlers) {
        for (Handler<RequestEvent> handler : handlers) {
            middlewares.removeIf(h -> h.id().equals(handler.id()));
            excludedMiddlewares.remove(handler.id());
            middlewares.add(handler);
        }
        return this;
    }

    /** Adds anonymous priority-0 middlewares. */
    @SafeVarargs
    public final Route bindFunc(HookFunction<RequestEvent>... functions) {
        for (HookFunction<RequestEvent> function : functions) {
            bind(Handler.of(generateId(), function));
        }
        return this;
    }

    /** Removes middlewares by id, including ones inherited from the enclosing groups. */
    public Route unbind(String... ids) {
        for (String id : ids) {
            middlewares.removeIf(h -> h.id().equals(id));
            excludedMiddlewares.add(id);
        }
        return this;
    }

    List<Handler<RequestEvent>> middlewares() {
        return middlewares;
    }

    Set<String> excludedMiddlewares() {
        return excludedMiddlewares;
    }

    static String generateId() {
        return "__route_mw_" + GENERATED_IDS.incrementAndGet();
    }
}
