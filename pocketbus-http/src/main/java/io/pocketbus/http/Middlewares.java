package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.tools.hook.Handler;
import java.util.List;

/** PocketBase's access middlewares ({@code apis.RequireAuth} and friends), as router hook handlers. */
public final class Middlewares {
    public static final String LOAD_AUTH_TOKEN_ID = "pbLoadAuthToken";
    /** After the request logger and recovery, before rate limits and the body limit. */
    public static final int LOAD_AUTH_TOKEN_PRIORITY = -1020;
    public static final String SUPERUSER_IPS_WHITELIST_ID = "pbSuperuserIPsWhitelist";
    public static final int SUPERUSER_IPS_WHITELIST_PRIORITY = -1015;
    public static final String SECURITY_HEADERS_ID = "pbSecurityHeaders";
    public static final int SECURITY_HEADERS_PRIORITY = -1010;
    public static final String REQUIRE_AUTH_ID = "pbRequireAuth";
    public static final String REQUIRE_SUPERUSER_AUTH_ID = "pbRequireSuperuserAuth";
    public static final String REQUIRE_SAME_COLLECTION_CONTEXT_AUTH_ID = "pbRequireSameCollectionContextAuth";

    private Middlewares() {
    }

    /**
     * Reads the {@code Authorization} header (the raw token, or {@code Bearer <token>}) and sets the request's
     * auth record when the token is a valid auth token; anything invalid leaves the request a guest's.
     */
    public static Handler<RequestEvent> loadAuthToken() {
        return Handler.of(LOAD_AUTH_TOKEN_ID, LOAD_AUTH_TOKEN_PRIORITY, e -> {
            if (e.auth().isEmpty()) {
                String token = authToken(e);
                if (!token.isEmpty()) {
                    e.app().findAuthRecordByToken(token, AuthOptions.TokenType.AUTH).ifPresent(e::setAuth);
                }
            }
            e.next();
        });
    }

    /** Refuses superuser requests from outside {@code settings.superuserIPs} (when the list is set). */
    public static Handler<RequestEvent> superuserIPsWhitelist() {
        return Handler.of(SUPERUSER_IPS_WHITELIST_ID, SUPERUSER_IPS_WHITELIST_PRIORITY, e -> {
            if (e.hasSuperuserAuth()) {
                checkSuperuserIp(e);
            }
            e.next();
        });
    }

    /** 403 when superusers are limited to some IPs and this request comes from another. */
    static void checkSuperuserIp(RequestEvent e) {
        List<String> allowed = e.app().currentSettings().superuserIPs();
        if (!allowed.isEmpty() && !IpList.contains(allowed, e.remoteIp())) {
            throw ApiError.forbidden("");
        }
    }

    /** PocketBase's default security response headers. */
    public static Handler<RequestEvent> securityHeaders() {
        return Handler.of(SECURITY_HEADERS_ID, SECURITY_HEADERS_PRIORITY, e -> {
            e.setHeader("X-XSS-Protection", "1; mode=block");
            e.setHeader("X-Content-Type-Options", "nosniff");
            e.setHeader("X-Frame-Options", "SAMEORIGIN");
            e.next();
        });
    }

    /** The token of the {@code Authorization} header, without a {@code Bearer } prefix; empty when none. */
    static String authToken(RequestEvent e) {
        String header = e.header("Authorization").orElse("");
        if (header.length() > 7 && header.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            return header.substring(7);
        }
        return header;
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
            boolean same = e.app().findCollectionByNameOrId(e.pathParam("collection"))
                    .map(c -> c.id().equals(auth.collection().id())).orElse(false);
            if (!same) {
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
