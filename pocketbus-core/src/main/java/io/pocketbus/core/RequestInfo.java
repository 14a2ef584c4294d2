package io.pocketbus.core;

import java.util.Map;
import java.util.Optional;

/**
 * What a rule or a hook may know about the request: {@code @request.*} in the rule language.
 * {@code context} is one of {@code default, oauth2, otp, password, realtime, protectedFile, batch, expand}.
 */
public record RequestInfo(String context, String method, Map<String, String> query, Map<String, String> headers,
                          Map<String, Object> body, Optional<Record> auth) {
    public static final String CONTEXT_DEFAULT = "default";
    public static final String CONTEXT_EXPAND = "expand";
    public static final String CONTEXT_REALTIME = "realtime";
    public static final String CONTEXT_BATCH = "batch";
    public static final String CONTEXT_PROTECTED_FILE = "protectedFile";

    public RequestInfo {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(body));
    }

    /** A guest GET in the default context, with nothing submitted. */
    public static RequestInfo guest() {
        return new RequestInfo(CONTEXT_DEFAULT, "GET", Map.of(), Map.of(), Map.of(), Optional.empty());
    }

    public static RequestInfo of(Record auth) {
        return new RequestInfo(CONTEXT_DEFAULT, "GET", Map.of(), Map.of(), Map.of(), Optional.of(auth));
    }

    public boolean isSuperuser() {
        return auth.map(Record::isSuperuser).orElse(false);
    }

    public RequestInfo withContext(String newContext) {
        return new RequestInfo(newContext, method, query, headers, body, auth);
    }
}
