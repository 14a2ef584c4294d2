package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.tools.hook.Handler;
import io.pocketbus.tools.hook.Hook;
import io.pocketbus.tools.hook.HookFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The root {@link RouterGroup}. {@link #build()} freezes the registered groups, routes and middlewares
 * into a dispatch table; a request no route matches still runs the root middlewares (CORS preflight,
 * logging) and then fails with 404, as PocketBase's catch-all route does.
 */
public final class Router extends RouterGroup {
    public Router() {
        super("");
    }

    /** Compiles the current routes; later changes to the router are not seen by the result. */
    Mux build() {
        List<CompiledRoute> routes = new ArrayList<>();
        collect(this, List.of(), routes);
        Hook<RequestEvent> fallback = new Hook<>();
        for (Handler<RequestEvent> h : middlewares()) {
            fallback.bind(h);
        }
        return new Mux(List.copyOf(routes), fallback);
    }

    private static void collect(RouterGroup group, List<RouterGroup> parents, List<CompiledRoute> out) {
        List<RouterGroup> chain = new ArrayList<>(parents);
        chain.add(group);
        String prefix = chain.stream().map(RouterGroup::prefix).reduce("", String::concat);
        for (Object child : group.children()) {
            if (child instanceof RouterGroup sub) {
                collect(sub, chain, out);
            } else if (child instanceof Route route) {
                Hook<RequestEvent> hook = new Hook<>();
                for (int i = 0; i < chain.size(); i++) {
                    for (Handler<RequestEvent> h : chain.get(i).middlewares()) {
                        if (!excludedBelow(h.id(), chain, i, route)) {
                            hook.bind(h);
                        }
                    }
                }
                for (Handler<RequestEvent> h : route.middlewares()) {
                    hook.bind(h);
                }
                out.add(new CompiledRoute(route.method(), RoutePattern.compile(prefix + route.path()), hook,
                        route.action()));
            }
        }
    }

    /** Whether a group below {@code depth}, or the route itself, unbound the middleware id. */
    private static boolean excludedBelow(String id, List<RouterGroup> chain, int depth, Route route) {
        if (route.excludedMiddlewares().contains(id)) {
            return true;
        }
        for (int j = depth; j < chain.size(); j++) {
            Set<String> excluded = chain.get(j).excludedMiddlewares();
            if (excluded.contains(id)) {
                return true;
            }
        }
        return false;
    }

    record CompiledRoute(String method, RoutePattern pattern, Hook<RequestEvent> hook,
                         HookFunction<RequestEvent> action) {
        /** 2 for the exact method, 1 for GET answering HEAD, 0 for any method, -1 for no match. */
        int methodScore(String requestMethod) {
            if (method.equals(requestMethod)) {
                return 2;
            }
            if (method.equals("GET") && requestMethod.equals("HEAD")) {
                return 1;
            }
            return method.isEmpty() ? 0 : -1;
        }
    }

    /** The frozen dispatch table. */
    static final class Mux {
        private final List<CompiledRoute> routes;
        private final Hook<RequestEvent> fallback;

        Mux(List<CompiledRoute> routes, Hook<RequestEvent> fallback) {
            this.routes = routes;
            this.fallback = fallback;
        }

        /** Runs the matching route's chain; an exception escaping it becomes the error response. */
        void dispatch(RequestEvent event) {
            CompiledRoute best = null;
            Map<String, String> bestParams = Map.of();
            String rawPath = event.rawPath();
            String[] segments = rawPath.startsWith("/") ? RoutePattern.segmentsOf(rawPath) : null;
            for (CompiledRoute route : routes) {
                int score = segments == null ? -1 : route.methodScore(event.method());
                if (score < 0) {
                    continue;
                }
                Optional<Map<String, String>> params = route.pattern().match(segments);
                if (params.isEmpty()) {
                    continue;
                }
                if (best == null || isBetter(route, score, best, best.methodScore(event.method()))) {
                    best = route;
                    bestParams = params.get();
                }
            }
            try {
                if (best == null) {
                    fallback.trigger(event, e -> {
                        throw ApiError.notFound("");
                    });
                } else {
                    event.pathParams(bestParams);
                    best.hook().trigger(event, best.action());
                }
            } catch (RuntimeException error) {
                event.writeError(error);
            }
        }

        private static boolean isBetter(CompiledRoute candidate, int candidateScore, CompiledRoute best,
                                        int bestScore) {
            int bySpecificity = candidate.pattern().compareSpecificity(best.pattern());
            return bySpecificity > 0 || (bySpecificity == 0 && candidateScore > bestScore);
        }
    }
}
