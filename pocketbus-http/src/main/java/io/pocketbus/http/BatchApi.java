package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.Settings;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.hook.Handler;
import io.pocketbus.tools.hook.HookFunction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/batch}: record create / update / upsert / delete sub-requests run in order in one
 * transaction, with the batch request's auth and {@code @request.context = "batch"}. Any failure rolls
 * everything back and names the failed request.
 */
final class BatchApi {
    /** PocketBase's default {@code batch.maxRequests}. */
    static final int DEFAULT_MAX_REQUESTS = 50;
    /** PocketBase's default batch body limit (128 MiB) replaces the general one on this route. */
    static final long DEFAULT_MAX_BODY_SIZE = 128L << 20;

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern UPSERT = Pattern.compile("^PUT /api/collections/([^/?]+)/records(\\?.*)?$");
    private static final Pattern CREATE = Pattern.compile("^POST /api/collections/([^/?]+)/records(\\?.*)?$");
    private static final Pattern UPDATE = Pattern.compile("^PATCH /api/collections/([^/?]+)/records/([^/?]+)(\\?.*)?$");
    private static final Pattern DELETE = Pattern.compile("^DELETE /api/collections/([^/?]+)/records/([^/?]+)(\\?.*)?$");

    private record SubRequest(String method, String url, Map<String, String> headers, Map<String, Object> body) { }

    private final RecordCrudApi records;

    BatchApi(RecordCrudApi records) {
        this.records = records;
    }

    void bind(RouterGroup api) {
        api.post("/batch", this::batch).bind(Handler.of(BodyLimit.ID, BodyLimit.PRIORITY, e -> {
            long max = e.app().settings().batchMaxBodySize();
            BodyLimit.apply(e, max > 0 ? max : DEFAULT_MAX_BODY_SIZE);
            e.next();
        }));
    }

    private void batch(RequestEvent e) {
        Settings settings = e.app().settings();
        if (!settings.batchEnabled()) {
            throw ApiError.forbidden("Batch requests are not allowed.");
        }
        Map<String, Object> body;
        try {
            body = e.bindBody();
        } catch (ApiError ex) {
            throw new ApiError(400, "Failed to read the submitted batch data.", Map.of(), ex);
        }
        List<SubRequest> requests = parse(body.get("requests"), settings.batchMaxRequests() > 0
                ? settings.batchMaxRequests() : DEFAULT_MAX_REQUESTS);
        List<Map<String, Object>> results = new ArrayList<>();
        // settings.batch.timeout bounds the whole transaction; running out rolls everything back
        long timeoutNanos = settings.batchTimeout() > 0 ? settings.batchTimeout() * 1_000_000_000L : Long.MAX_VALUE;
        long started = System.nanoTime();
        e.app().runInTransaction(tx -> {
            for (int i = 0; i < requests.size(); i++) {
                results.add(process(e, requests.get(i), i));
                if (System.nanoTime() - started > timeoutNanos) {
                    throw new ApiError(400, "Batch transaction failed.", Map.of());
                }
            }
        });
        e.json(200, results);
    }

    private static List<SubRequest> parse(Object raw, int maxRequests) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw ApiError.badRequest("Invalid batch request data.", Map.of("requests", ValidationError.required()));
        }
        if (list.size() > maxRequests) {
            throw ApiError.badRequest("Invalid batch request data.", Map.of("requests", ValidationError.of(
                    "validation_length_too_long", "The length must be no more than " + maxRequests + ".",
                    Map.of("max", maxRequests))));
        }
        List<SubRequest> requests = new ArrayList<>();
        Map<String, Object> itemErrors = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Map<?, ?> item = list.get(i) instanceof Map<?, ?> m ? m : Map.of();
            String method = String.valueOf(item.get("method") == null ? "" : item.get("method"))
                    .toUpperCase(Locale.ROOT);
            String url = item.get("url") == null ? "" : String.valueOf(item.get("url"));
            Map<String, Object> errors = new LinkedHashMap<>();
            if (method.isEmpty()) {
                errors.put("method", ValidationError.required());
            } else if (!METHODS.contains(method)) {
                errors.put("method", ValidationError.of("validation_in_invalid", "Must be a valid value."));
            }
            if (url.isEmpty()) {
                errors.put("url", ValidationError.required());
            } else if (url.length() > 2000) {
                errors.put("url", ValidationError.of("validation_length_too_long",
                        "The length must be no more than 2000.", Map.of("max", 2000)));
            }
            if (!errors.isEmpty()) {
                itemErrors.put(String.valueOf(i), errors);
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (item.get("headers") instanceof Map<?, ?> h) {
                h.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
            }
            Map<String, Object> subBody = new LinkedHashMap<>();
            if (item.get("body") instanceof Map<?, ?> b) {
                b.forEach((k, v) -> subBody.put(String.valueOf(k), v));
            }
            requests.add(new SubRequest(method, url, headers, subBody));
        }
        if (!itemErrors.isEmpty()) {
            throw ApiError.badRequest("Invalid batch request data.", Map.of("requests", itemErrors));
        }
        return requests;
    }

    /** Runs one sub-request; a failure aborts the transaction naming request {@code index}. */
    private Map<String, Object> process(RequestEvent parent, SubRequest request, int index) {
        BatchExchange exchange;
        try {
            exchange = run(parent, request);
        } catch (RuntimeException ex) {
            throw failed(index, RequestEvent.toApiError(ex));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        byte[] responseBody = exchange.responseBody();
        try {
            JsonNode json = responseBody.length == 0 ? null : Json.MAPPER.readTree(responseBody);
            result.put("body", json);
        } catch (IOException ex) {
            throw failed(index, ApiError.internal("", ex));
        }
        result.put("status", exchange.responseStatus());
        return result;
    }

    private BatchExchange run(RequestEvent parent, SubRequest request) {
        Action action = resolve(parent, request);
        Map<String, String> headers = new LinkedHashMap<>(parent.headers());
        request.headers().forEach(headers::put);
        // the batch request's own auth applies; the body always travels as JSON
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Content-Type")
                || h.equalsIgnoreCase("Content-Length"));
        headers.put("Content-Type", "application/json");
        BatchExchange exchange = new BatchExchange(action.method(), request.url(), headers, parent.remoteIp(),
                Json.write(request.body()));
        RequestEvent event = new RequestEvent(exchange, parent.app());
        event.pathParams(action.pathParams());
        event.infoContext(RequestInfo.CONTEXT_BATCH);
        parent.auth().ifPresent(event::setAuth);
        action.handler().handle(event);
        return exchange;
    }

    /** The record action a sub-request names; an upsert becomes an update when the body's id exists. */
    private record Action(String method, Map<String, String> pathParams, HookFunction<RequestEvent> handler) { }

    private Action resolve(RequestEvent parent, SubRequest request) {
        String line = request.method() + " " + request.url();
        Matcher m = UPSERT.matcher(line);
        if (m.matches()) {
            String collection = decode(m.group(1));
            Object id = request.body().get("id");
            if (id != null && !String.valueOf(id).isEmpty()
                    && parent.app().findRecordById(collection, String.valueOf(id)).isPresent()) {
                return new Action("PATCH", Map.of("collection", collection, "id", String.valueOf(id)),
                        records::update);
            }
            return new Action("POST", Map.of("collection", collection), records::create);
        }
        if ((m = CREATE.matcher(line)).matches()) {
            return new Action("POST", Map.of("collection", decode(m.group(1))), records::create);
        }
        if ((m = UPDATE.matcher(line)).matches()) {
            return new Action("PATCH", Map.of("collection", decode(m.group(1)), "id", decode(m.group(2))),
                    records::update);
        }
        if ((m = DELETE.matcher(line)).matches()) {
            return new Action("DELETE", Map.of("collection", decode(m.group(1)), "id", decode(m.group(2))),
                    records::delete);
        }
        // PocketBase: "unknown batch request action", answered as a generic 400
        throw ApiError.badRequest("");
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ApiError failed(int index, ApiError cause) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", "batch_request_failed");
        item.put("message", "Batch request failed.");
        item.put("response", cause);
        return new ApiError(400, "Batch transaction failed.", Map.of("requests", Map.of(String.valueOf(index), item)),
                cause);
    }
}
