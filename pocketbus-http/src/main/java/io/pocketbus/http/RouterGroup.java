package io.pocketbus.http;

import io.pocketbus.tools.hook.Handler;
import io.pocketbus.tools.hook.HookFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of routes and sub-groups under a common path prefix, sharing middlewares, as PocketBase's
 * {@code router.RouterGroup}. Group middlewares run for every route below the group; a route or a child
 * group can {@link #unbind} an inherited middleware by id.
 */
public class RouterGroup {
    private final String prefix;
    private final List<Object> children = new ArrayList<>();
    private final List<Handler<RequestEvent>> middlewares = new ArrayList<>();
    private final Set<String> excludedMiddlewares = new HashSet<>();

    RouterGroup(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** A new child group; its prefix is appended to this group's. */
    public RouterGroup group(String prefix) {
        RouterGroup group = new RouterGroup(prefix);
        children.add(group);
        return group;
    }

    /** Registers a route; an empty method matches every method. */
    public Route route(String method, String path, HookFunction<RequestEvent> action) {
        Route route = new Route(method, path, action);
        children.add(route);
        return route;
    }

    public Route any(String path, HookFunction<RequestEvent> action) {
        return route("", path, action);
    }

    /** A GET route; it answers HEAD requests too. */
    public Route get(String path, HookFunction<RequestEvent> action) {
        return route("GET", path, action);
    }

    public Route post(String path, HookFunction<RequestEvent> action) {
        return route("POST", path, action);
    }

    public Route put(String path, HookFunction<RequestEvent> action) {
        return route("PUT", path, action);
    }

    public Route patch(String path, HookFunction<RequestEvent> action) {
        return route("PATCH", path, action);
    }

    public Route delete(String path, HookFunction<RequestEvent> action) {
        return route("DELETE", path, action);
    }

    public Route head(String path, HookFunction<RequestEvent> action) {
        return route("HEAD", path, action);
    }

    /** Adds middlewares for every route in this group. A middleware with an id already bound replaces it. */
    @SafeVarargs
    public final RouterGroup bind(Handler<RequestEvent>... handlers) {
        for (Handler<RequestEvent> handler : handlers) {
            middlewares.removeIf(h -> h.id().equals(handler.id()));
            excludedMiddlewares.remove(handler.id());
            middlewares.add(handler);
        }
        return this;
    }

    /** Adds anonymous priority-0 middlewares. */
    @SafeVarargs
    public final RouterGroup bindFunc(HookFunction<RequestEvent>... functions) {
        for (HookFunction<RequestEvent> function : functions) {
            bind(Handler.of(Route.generateId(), function));
        }
        return this;
    }

    /** Removes middlewares by id, including ones inherited from the enclosing groups. */
    public RouterGroup unbind(String... ids) {
        for (String id : ids) {
            middlewares.removeIf(h -> h.id().equals(id));
            excludedMiddlewares.add(id);
        }
        return this;
    }

    /** Whether a route with exactly this method and full path is registered in this group or below. */
    public boolean hasRoute(String method, String path) {
        for (Object child : children) {
            if (child instanceof Route route && route.method().equals(method) && (prefix + route.path()).equals(path)) {
                return true;
            }
            if (child instanceof RouterGroup group && path.startsWith(prefix)
                    && group.hasRoute(method, path.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    List<Object> children() {
        return children;
    }

    List<Handler<RequestEvent>> middlewares() {
        return middlewares;
    }

    Set<String> excludedMiddlewares() {
        return excludedMiddlewares;
    }
}
