package io.pocketbus.bridge;

import io.pocketbus.core.App;
import io.pocketbus.http.ServeEvent;
import io.pocketbus.tools.hook.Hook;

/**
 * Binds the Pocketbus domain to an app before it bootstraps: the system collections (created once the core's
 * own migrations ran), the membership hooks, and the {@code /api/pocketbus/...} routes when HTTP serves.
 */
public final class PocketbusDomain {
    private PocketbusDomain() {
    }

    public static void bind(App app, Hook<ServeEvent> onServe) {
        app.onBootstrap().bindFunc(e -> {
            e.next();
            DomainCollections.ensure(app);
        });
        DomainHooks.register(app);
        onServe.bindFunc(e -> {
            GroupsApi.bind(e.router());
            e.next();
        });
    }
}
