package io.pocketbus.http;

import java.util.List;

/**
 * Installs PocketBase's REST API on a router, as PocketBase's {@code apis.NewRouter}: the default
 * middlewares on the root group and every endpoint group under {@code /api}.
 */
public final class Apis {
    private Apis() {
    }

    /**
     * Binds the default middlewares and the API routes; {@code allowedOrigins} configures CORS, and the
     * record actions run as the default actions of {@code hooks}.
     */
    public static void bind(Router router, List<String> allowedOrigins, ApiHooks hooks) {
        router.bind(Cors.of(allowedOrigins));
        router.bind(RequestLogger.of());
        router.bind(Middlewares.loadAuthToken());
        RateLimits rateLimits = new RateLimits();
        router.bind(rateLimits.global());
        router.bind(Middlewares.superuserIPsWhitelist());
        router.bind(Middlewares.securityHeaders());
        router.bind(BodyLimit.of(BodyLimit.DEFAULT_MAX_BODY_SIZE));

        RouterGroup api = router.group("/api");
        HealthApi.bind(api);
        CollectionApi.bind(api);
        RecordCrudApi records = new RecordCrudApi(hooks);
        records.bind(api);
        RecordAuthResponse authResponse = new RecordAuthResponse(hooks);
        new RecordAuthApi(authResponse).bind(api, rateLimits);
        RecordAuthFlows.bind(api, rateLimits, authResponse, new RealtimeOAuth2Redirects(), records);
        new BatchApi(records).bind(api);
        new FileApi().bind(api);
        new BackupApi().bind(api);
        SettingsApi.bind(api);
        LogsApi.bind(api);
        RealtimeApi.bind(api);
        SqlApi.bind(api);
        CronApi.bind(api);
    }
}
