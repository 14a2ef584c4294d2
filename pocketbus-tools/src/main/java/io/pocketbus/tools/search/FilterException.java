package io.pocketbus.tools.search;

/**
 * A filter, rule or sort expression that cannot be parsed or resolved. The message is worded as PocketBase
 * words it; callers turn it into the API error the client sees (usually a 400 with generic text).
 */
public class FilterException extends RuntimeException {

    public FilterException(String message) {
        super(message);
    }

    public FilterException(String message, Throwable cause) {
        super(message, cause);
    }
}
