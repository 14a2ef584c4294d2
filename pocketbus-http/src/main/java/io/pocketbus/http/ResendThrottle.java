package io.pocketbus.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which records were recently mailed a verification or password reset link, so repeated requests
 * within the window are answered the same but send nothing (PocketBase's 2 minute resend limit).
 */
final class ResendThrottle {
    static final Duration WINDOW = Duration.ofMinutes(2);

    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    boolean has(String key) {
        Long deadline = until.get(key);
        if (deadline == null) {
            return false;
        }
        if (System.nanoTime() - deadline >= 0) {
            until.remove(key, deadline);
            return false;
        }
        return true;
    }

    void set(String key) {
        until.put(key, System.nanoTime() + WINDOW.toNanos());
        until.values().removeIf(d -> System.nanoTime() - d >= 0);
    }

    void remove(String key) {
        until.remove(key);
    }
}
