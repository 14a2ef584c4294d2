package io.pocketbus.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * {@link Exchange} over a Jetty core request/response; runs on the request's virtual thread, blocking.
 *
 * <p>A handler may answer without reading the request body (a 404, a 401, a 413). Jetty then closes the
 * connection after the response, and a client that already pooled it for its next request sees the
 * connection drop mid-request. So, as Go's net/http does for PocketBase, the exchange reads up to
 * {@link #DRAIN_LIMIT} unread body bytes after the response to keep the connection, and announces
 * {@code Connection: close} in the response when more than that (or an unknown amount) is left.
 */
final class JettyExchange implements Exchange {
    /** Unread request body a finished exchange still reads to keep the connection open. */
    static final long DRAIN_LIMIT = 256 * 1024;

    private final Request request;
    private final Response response;
    private OutputStream stream;
    private BodyStream body;
    private boolean headersSettled;

    JettyExchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        String path = request.getHttpURI().getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public String rawQuery() {
        String query = request.getHttpURI().getQuery();
        return query == null ? "" : query;
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    @Override
    public List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    @Override
    public String remoteIp() {
        return Request.getRemoteAddr(request);
    }

    @Override
    public long contentLength() {
        return request.getLength();
    }

    @Override
    public InputStream body() {
        if (body == null) {
            body = new BodyStream(Content.Source.asInputStream(request));
        }
        return body;
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    @Override
    public void removeHeader(String name) {
        response.getHeaders().remove(name);
    }

    @Override
    public Optional<String> responseHeader(String name) {
        return Optional.ofNullable(response.getHeaders().get(name));
    }

    @Override
    public void write(byte[] bytes) {
        settleHeaders();
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(bytes), callback);
            callback.block();
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OutputStream stream() {
        if (stream == null) {
            settleHeaders();
            stream = Content.Sink.asOutputStream(response);
        }
        return stream;
    }

    /**
     * Ends the exchange: closes a streamed response, reads what is left of a small request body, then tells
     * Jetty the request is handled.
     */
    void complete(Callback callback) {
        settleHeaders();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                callback.failed(e);
                return;
            }
        }
        drainBody();
        callback.succeeded();
    }

    /** Before the response is committed: asks the client to close when the unread body is too big to read. */
    private void settleHeaders() {
        if (headersSettled) {
            return;
        }
        headersSettled = true;
        if (!hasUnreadBody()) {
            return;
        }
        long unread = unreadLength();
        if (unread < 0 || unread > DRAIN_LIMIT) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /** Reads a small unread body to its end, so Jetty keeps the connection; then releases the body. */
    private void drainBody() {
        try {
            if (hasUnreadBody() && !response.getHeaders().contains(HttpHeader.CONNECTION, "close")) {
                BodyStream in = (BodyStream) body();
                in.skipNBytes(unreadLength());
                in.read();
            }
        } catch (IOException e) {
            // the client went away or sent less than it declared: Jetty closes this connection
        } finally {
            if (body != null) {
                body.release();
            }
        }
    }

    private boolean hasUnreadBody() {
        if (body != null && body.ended) {
            return false;
        }
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The declared body length not read yet, or -1 when the body has no declared length. */
    private long unreadLength() {
        long length = request.getLength();
        if (length < 0) {
            return -1;
        }
        return length - (body == null ? 0 : body.read);
    }

    /** The request body as handlers read it; closing it is left to the exchange, which may still drain it. */
    private static final class BodyStream extends InputStream {
        private final InputStream in;
        private long read;
        private boolean ended;

        BodyStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                ended = true;
            } else {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
            } else {
                read += n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() {
            // handlers close it after reading; the exchange decides whether the rest is read or dropped
        }

        /** Gives the buffered chunk back; a body not read to its end fails the connection. */
        void release() {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more can be read from a connection that is being closed
            }
        }
    }
}
