package io.pocketbus.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request and its response, as the transport sees them: the seam that keeps Jetty out of
 * {@link RequestEvent} and lets batch sub-requests run through the same route handlers in memory.
 */
interface Exchange {
    String method();

    /** The path, still percent-encoded. */
    String rawPath();

    /** The query string without {@code ?}, still encoded; empty when there is none. */
    String rawQuery();

    /** Request headers; names as sent, looked up case-insensitively by {@link #headerValues}. */
    Map<String, List<String>> headers();

    List<String> headerValues(String name);

    String remoteIp();

    /** The declared body length, or -1 when unknown. */
    long contentLength();

    InputStream body();

    void status(int status);

    void setHeader(String name, String value);

    void addHeader(String name, String value);

    void removeHeader(String name);

    Optional<String> responseHeader(String name);

    /** Writes the whole body and completes the response. */
    void write(byte[] body);

    /** A stream for responses written in parts (server-sent events); each flush sends what was written. */
    OutputStream stream();
}
