package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordSearch;
import io.pocketbus.core.ValidationError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PocketBase's realtime endpoints: {@code GET /api/realtime} opens an SSE stream, {@code POST /api/realtime}
 * replaces a client's subscriptions and binds the request's auth to it.
 */
final class RealtimeApi {
    static final int MAX_CLIENT_ID = 255;
    static final int MAX_SUBSCRIPTIONS = 1000;
    static final int MAX_SUBSCRIPTION_LENGTH = 2500;

    private RealtimeApi() {
    }

    static void bind(RouterGroup api) {
        api.get("/realtime", e -> Realtime.of(e.app()).serve(e));
        api.post("/realtime", RealtimeApi::setSubscriptions);
    }

    private static void setSubscriptions(RequestEvent e) {
        Map<String, Object> body = e.bindBody();
        Object rawId = body.getOrDefault("clientId", "");
        Object rawSubs = body.getOrDefault("subscriptions", List.of());
        if (!(rawId instanceof String clientId) || !(rawSubs instanceof List<?> subs)
                || subs.stream().anyMatch(s -> !(s instanceof String))) {
            throw ApiError.badRequest(RecordSearch.BAD_REQUEST);
        }
        Map<String, Object> errors = new LinkedHashMap<>();
        if (clientId.isEmpty()) {
            errors.put("clientId", ValidationError.required());
        } else if (clientId.length() > MAX_CLIENT_ID) {
            errors.put("clientId", ValidationError.of("validation_length_out_of_range",
                    "The length must be between 1 and " + MAX_CLIENT_ID + "."));
        }
        if (subs.size() > MAX_SUBSCRIPTIONS) {
            errors.put("subscriptions", ValidationError.of("validation_length_too_long",
                    "The length must be no more than " + MAX_SUBSCRIPTIONS + "."));
        } else {
            Map<String, Object> itemErrors = new LinkedHashMap<>();
            for (int i = 0; i < subs.size(); i++) {
                if (((String) subs.get(i)).length() > MAX_SUBSCRIPTION_LENGTH) {
                    itemErrors.put(String.valueOf(i), ValidationError.of("validation_length_too_long",
                            "The length must be no more than " + MAX_SUBSCRIPTION_LENGTH + "."));
                }
            }
            if (!itemErrors.isEmpty()) {
                errors.put("subscriptions", itemErrors);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest(RecordSearch.BAD_REQUEST, errors);
        }

        RealtimeClient client = Realtime.of(e.app()).client(clientId)
                .orElseThrow(() -> ApiError.notFound("Missing or invalid client id."));
        if (!client.remoteIp().equals(e.remoteIp())) {
            throw ApiError.badRequest("Invalid realtime client.");
        }
        String oldAuthId = client.auth().map(Record::id).orElse("");
        String newAuthId = e.auth().map(Record::id).orElse("");
        if (!oldAuthId.isEmpty() && !oldAuthId.equals(newAuthId)) {
            throw ApiError.forbidden("The current and the previous request authorization don't match.");
        }
        List<RealtimeSubscription> parsed = new ArrayList<>();
        for (Object s : subs) {
            parsed.add(RealtimeSubscription.parse((String) s));
        }
        client.setAuth(e.auth());
        client.setSubscriptions(parsed);
        e.noContent(204);
    }
}
