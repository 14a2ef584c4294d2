package io.pocketbus.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An in-memory {@link Exchange} for one batch sub-request: a JSON body in, the status and body captured. */
final class BatchExchange implements Exchange {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final String remoteIp;
    private final byte[] body;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
    private int status = 200;

    BatchExchange(String method, String url, Map<String, String> requestHeaders, String remoteIp, byte[] body) {
        this.method = method;
        int q = url.indexOf('?');
        this.rawPath = q < 0 ? url : url.substring(0, q);
        this.rawQuery = q < 0 ? "" : url.substring(q + 1);
        requestHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
        this.remoteIp = remoteIp;
        this.body = body;
    }

    int responseStatus() {
        return status;
    }

    byte[] responseBody() {
        return responseBody.toByteArray();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public Map<String, List<String>> headers() {
        return new LinkedHashMap<>(headers);
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, new ArrayList<>());
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public InputStream body() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public void status(int value) {
        this.status = value;
    }

    @Override
    public void setHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        responseHeaders.merge(name, value, (a, b) -> a + ", " + b);
    }

    @Override
    public void removeHeader(String name) {
        responseHeaders.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    }

    @Override
    public Optional<String> responseHeader(String name) {
        return Optional.ofNullable(responseHeaders.get(name));
    }

    @Override
    public void write(byte[] bytes) {
        responseBody.writeBytes(bytes);
    }

    @Override
    public OutputStream stream() {
        return responseBody;
    }
}
