package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.tools.hook.Handler;
import java.util.List;

/** PocketBase's access middlewares ({@code apis.RequireAuth} and friends), as router hook handlers. */
public final class Middlewares {
    public static final String REQUIRE_AUTH_ID = "pbRequireAuth";
    public static final String REQUIRE_SUPERUSER_AUTH_ID = "pbRequireSuperuserAuth";
    public static final String REQUIRE_SAME_COLLECTION_CONTEXT_AUTH_ID = "pbRequireSameCollectionContextAuth";

    private Middlewares() {
    }

    /** A valid auth token from one of {@code collections} (any auth collection when none are named). */
    public static Handler<RequestEvent> requireAuth(String... collections) {
        return Handler.of(REQUIRE_AUTH_ID, e -> {
            checkAuth(e, List.of(collections));
            e.next();
        });
    }

    /** A valid superuser token. */
    public static Handler<RequestEvent> requireSuperuserAuth() {
        return Handler.of(REQUIRE_SUPERUSER_AUTH_ID, e -> {
            checkAuth(e, List.of(Collection.SUPERUSERS));
            e.next();
        });
    }

    /** A valid token from the auth collection named by the {@code {collection}} path parameter. */
    public static Handler<RequestEvent> requireSameCollectionContextAuth() {
        return Handler.of(REQUIRE_SAME_COLLECTION_CONTEXT_AUTH_ID, e -> {
            Record auth = e.auth().orElseThrow(() ->
                    ApiError.unauthorized("The request requires valid record authorization token."));
            Collection collection = e.app().findCollectionByNameOrId(e.pathParam("collection"))
                    .orElseThrow(() -> ApiError.notFound("Missing or invalid collection context."));
            if (!auth.collection().id().equals(collection.id())) {
                throw ApiError.forbidden("The request requires auth record from " + auth.collection().name()
                        + " collection.");
            }
            e.next();
        });
    }

    private static void checkAuth(RequestEvent e, List<String> collections) {
        Record auth = e.auth().orElseThrow(() ->
                ApiError.unauthorized("The request requires valid record authorization token."));
        if (!collections.isEmpty() && !collections.contains(auth.collection().name())
                && !collections.contains(auth.collection().id())) {
            throw ApiError.forbidden("The authorized record is not allowed to perform this action.");
        }
    }
}
