package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One realtime subscription as a client submitted it: the topic ({@code col/*}, {@code col/<id>}, the legacy
 * {@code col}, or any other name such as {@code @oauth2}) and the {@code ?options=} query and headers that
 * the rules see as {@code @request.query.*} and {@code @request.headers.*}.
 */
record RealtimeSubscription(String raw, String topic, Map<String, String> query, Map<String, String> headers) {
    private static final String OPTIONS = "?options=";

    RealtimeSubscription {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** Parses a submitted subscription; options that are not a JSON object are ignored, as PocketBase does. */
    static RealtimeSubscription parse(String raw) {
        int at = raw.indexOf(OPTIONS);
        if (at < 0) {
            return new RealtimeSubscription(raw, raw, Map.of(), Map.of());
        }
        String topic = raw.substring(0, at);
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            String json = URLDecoder.decode(raw.substring(at + OPTIONS.length()), StandardCharsets.UTF_8);
            JsonNode options = Json.MAPPER.readTree(json);
            if (options != null && options.isObject()) {
                strings(options.get("query")).forEach(query::put);
                // rules read headers by their snake_cased lower-case names
                strings(options.get("headers")).forEach((k, v) -> headers.put(snakeCase(k), v));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            query.clear();
            headers.clear();
        }
        return new RealtimeSubscription(raw, topic, query, headers);
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        return out;
    }

    private static String snakeCase(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /**
     * Whether this subscription receives events of the record {@code recordId} of the collection: the
     * collection by id or name, either for every record ({@code /*} or no suffix) or this one.
     */
    Optional<Kind> match(String collectionId, String collectionName, String recordId) {
        for (String col : new String[] {collectionName, collectionId}) {
            if (topic.equals(col) || topic.equals(col + "/*")) {
                return Optional.of(Kind.LIST);
            }
            if (topic.equals(col + "/" + recordId)) {
                return Optional.of(Kind.VIEW);
            }
        }
        return Optional.empty();
    }

    /** Which rule guards a match: the listRule for {@code col/*}, the viewRule for {@code col/<id>}. */
    enum Kind {
        LIST, VIEW
    }
}
