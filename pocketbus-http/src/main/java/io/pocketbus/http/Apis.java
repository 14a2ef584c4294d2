package io.pocketbus.http;

import io.pocketbus.core.App;
import java.util.List;

/**
 * Installs PocketBase's REST API on a router, as PocketBase's {@code apis.NewRouter}: the default
 * middlewares on the root group and every endpoint group under {@code /api}.
 */
public final class Apis {
    private Apis() {
    }

    /** Binds the default middlewares and the API routes; {@code allowedOrigins} configures CORS. */
    public static void bind(App app, Router router, List<String> allowedOrigins) {
        router.bind(Cors.of(allowedOrigins));
        router.bind(RequestLogger.of());
        router.bind(Middlewares.loadAuthToken());
        RateLimits rateLimits = new RateLimits();
        router.bind(rateLimits.global());
        router.bind(BodyLimit.of(BodyLimit.DEFAULT_MAX_BODY_SIZE));

        RouterGroup api = router.group("/api");
        HealthApi.bind(api);
        CollectionApi.bind(api);
        RecordCrudApi.bind(api);
        RecordAuthApi.bind(api, rateLimits);
        RecordAuthFlows.bind(api, rateLimits, OAuth2RedirectTarget.NONE);
        BatchApi.bind(api);
        SettingsApi.bind(api);
        LogsApi.bind(api);
    }
}
