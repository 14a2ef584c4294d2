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
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/** {@link Exchange} over a Jetty core request/response; runs on the request's virtual thread, blocking. */
final class JettyExchange implements Exchange {
    private final Request request;
    private final Response response;
    private OutputStream stream;

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
        return Content.Source.asInputStream(request);
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
    public void write(byte[] body) {
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body), callback);
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
            stream = Content.Sink.asOutputStream(response);
        }
        return stream;
    }

    /** Ends the exchange: closes a streamed response, then tells Jetty the request is handled. */
    void complete(Callback callback) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                callback.failed(e);
                return;
            }
        }
        callback.succeeded();
    }
}
