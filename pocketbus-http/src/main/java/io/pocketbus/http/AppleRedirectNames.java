package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apple sends the user's name only once, as the {@code user} form field of the first {@code form_post}
 * redirect, never in the id_token. As PocketBase does, the redirect keeps "first last" (trimmed, at most 150
 * characters) for a minute under the authorization code, and {@code auth-with-oauth2} takes it back with
 * that code. Bounded, so redirects cannot fill the memory.
 */
final class AppleRedirectNames {
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_CODE_LENGTH = 1000;
    private static final int MAX_NAME_LENGTH = 150;

    private record Entry(String name, Instant expires) {
    }

    private final Map<String, Entry> names = new ConcurrentHashMap<>();

    /** Keeps the name of Apple's {@code user} JSON ({@code {"name":{"firstName","lastName"}}}) for {@code code}. */
    void remember(String code, String userJson) {
        if (code.isEmpty() || code.length() > MAX_CODE_LENGTH || userJson.isEmpty()) {
            return;
        }
        JsonNode name;
        try {
            name = Json.MAPPER.readTree(userJson).path("name");
        } catch (IOException e) {
            return;
        }
        String full = name.path("firstName").asText("") + " " + name.path("lastName").asText("");
        if (full.length() > MAX_NAME_LENGTH) {
            full = full.substring(0, MAX_NAME_LENGTH);
        }
        full = full.strip();
        if (full.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        names.values().removeIf(e -> e.expires().isBefore(now));
        if (names.size() < MAX_ENTRIES) {
            names.put(code, new Entry(full, now.plus(TTL)));
        }
    }

    /** The name kept for {@code code}, removed as it is read. */
    Optional<String> take(String code) {
        Entry e = names.remove(code);
        return e == null || e.expires().isBefore(Instant.now()) ? Optional.empty() : Optional.of(e.name());
    }
}
