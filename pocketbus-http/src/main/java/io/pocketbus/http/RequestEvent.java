package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Record;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.picker.Picker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request passing through a route's middleware chain, PocketBase's {@code RequestEvent}: the
 * request (path parameters, query, headers, body readers), the response writers, and a per-request store.
 * Handlers fail by throwing an {@link ApiError}; anything else becomes a 500.
 */
public class RequestEvent extends Event {
    private static final Logger LOG = LoggerFactory.getLogger(RequestEvent.class);
    private static final String FIELDS_PARAM = "fields";

    private final Exchange exchange;
    private final App app;
    private Record auth;
    private String infoContext = RequestInfo.CONTEXT_DEFAULT;
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> query;
    private final Map<String, Object> store = new HashMap<>();
    private long bodyLimit = -1;
    private byte[] body;
    private RequestBody.Form form;
    /** A batch sub-request's files, taken from the batch body's {@code requests.N.*} parts. */
    private List<UploadedFile> subRequestFiles;
    private boolean written;
    private int status;

    /** {@code app} may be null for a bare router without the PocketBase API. */
    RequestEvent(Exchange exchange, App app) {
        this.exchange = exchange;
        this.app = app;
    }

    // ---- app and auth ----

    /** The application this server serves. */
    public App app() {
        if (app == null) {
            throw new IllegalStateException("this server was built without an App");
        }
        return app;
    }

    /** The authenticated record: set from a valid {@code Authorization} token; empty for guests. */
    public Optional<Record> auth() {
        return Optional.ofNullable(auth);
    }

    public void setAuth(Record record) {
        this.auth = java.util.Objects.requireNonNull(record, "record");
    }

    public void clearAuth() {
        this.auth = null;
    }

    public boolean hasSuperuserAuth() {
        return auth != null && auth.isSuperuser();
    }

    /**
     * What rules see as {@code @request.*}: the method, the first value of each query parameter, the headers
     * with snake_cased lower-case names, the submitted body (not for GET/HEAD) and the auth record.
     */
    public RequestInfo requestInfo() {
        Map<String, String> firstQuery = new LinkedHashMap<>();
        query().forEach((k, v) -> {
            if (!v.isEmpty()) {
                firstQuery.put(k, v.getFirst());
            }
        });
        Map<String, String> ruleHeaders = new LinkedHashMap<>();
        headers().forEach((k, v) -> ruleHeaders.put(k.replace('-', '_'), v));
        Map<String, Object> submitted = method().equals("GET") || method().equals("HEAD")
                ? Map.of() : bindBody();
        return new RequestInfo(infoContext, method(), firstQuery, ruleHeaders, submitted, auth());
    }

    /** Sets {@code @request.context} (e.g. {@code batch} for batch sub-requests). */
    void infoContext(String context) {
        this.infoContext = context;
    }

    // ---- request ----

    public String method() {
        return exchange.method();
    }

    /** The request path, percent-decoded. */
    public String path() {
        return java.net.URLDecoder.decode(exchange.rawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    String rawPath() {
        return exchange.rawPath();
    }

    /** The path with its query string, as requested. */
    public String requestUri() {
        String q = exchange.rawQuery();
        return q.isEmpty() ? exchange.rawPath() : exchange.rawPath() + "?" + q;
    }

    /** The value of a {@code {name}} path parameter of the matched route; empty when the route has none. */
    public String pathParam(String name) {
        return pathParams.getOrDefault(name, "");
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    /** All query parameters in request order, each with every value given. */
    public Map<String, List<String>> query() {
        if (query == null) {
            query = RequestBody.parseUrlEncoded(exchange.rawQuery());
        }
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The first value of a request header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = exchange.headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every request header with its first value, names lower-cased. */
    public Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.headers().forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.putIfAbsent(k.toLowerCase(Locale.ROOT), v.getFirst());
            }
        });
        return out;
    }

    /** The address of the connected peer (proxies are not trusted). */
    public String remoteIp() {
        return exchange.remoteIp();
    }

    /** The request body, read once and kept; throws 413 when it exceeds the route's body limit. */
    public byte[] bodyBytes() {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    private byte[] readBody() {
        try (InputStream in = exchange.body()) {
            if (bodyLimit <= 0) {
                return in.readAllBytes();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > bodyLimit) {
                    throw BodyLimit.tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new ApiError(400, "Failed to read the submitted data.", Map.of(), e);
        }
    }

    long declaredContentLength() {
        return exchange.contentLength();
    }

    /** Sets the largest body this request may send; 0 or less means no limit. */
    void bodyLimit(long limitBytes) {
        this.bodyLimit = limitBytes;
    }

    public Optional<String> contentType() {
        return header("Content-Type");
    }

    /**
     * The submitted data as PocketBase reads it: a JSON object, or form fields (urlencoded or multipart)
     * with their values inferred and every {@code @jsonPayload} part merged in. An empty body gives an empty
     * map; an unreadable one a 400.
     */
    public Map<String, Object> bindBody() {
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            return new LinkedHashMap<>();
        }
        String type = contentType().orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return RequestBody.parseJsonObject(bytes);
        }
        if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
            return RequestBody.formToData(form().fields());
        }
        throw ApiError.badRequest("Unsupported Content-Type.");
    }

    /** The files of a multipart body submitted under {@code key}. */
    public List<UploadedFile> uploadedFiles(String key) {
        if (subRequestFiles != null) {
            return subRequestFiles.stream().filter(f -> f.field().equals(key)).toList();
        }
        String type = contentType().orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data")) {
            return List.of();
        }
        return form().files().stream().filter(f -> f.field().equals(key)).toList();
    }

    /** Gives a batch sub-request the files the batch body carried for it (field names without the prefix). */
    void subRequestFiles(List<UploadedFile> files) {
        this.subRequestFiles = List.copyOf(files);
    }

    /** Every file of a multipart body. */
    public List<UploadedFile> uploadedFiles() {
        if (subRequestFiles != null) {
            return subRequestFiles;
        }
        String type = contentType().orElse("").toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/form-data") ? form().files() : List.of();
    }

    private RequestBody.Form form() {
        if (form == null) {
            String type = contentType().orElse("");
            if (type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                form = RequestBody.parseMultipart(bodyBytes(), type);
            } else {
                form = new RequestBody.Form(
                        RequestBody.parseUrlEncoded(new String(bodyBytes(), StandardCharsets.UTF_8)), List.of());
            }
        }
        return form;
    }

    // ---- store ----

    public Optional<Object> get(String key) {
        return Optional.ofNullable(store.get(key));
    }

    public void set(String key, Object value) {
        store.put(key, value);
    }

    // ---- response ----

    /** Whether a response status (and possibly body) was already sent. */
    public boolean written() {
        return written;
    }

    /** The status written so far; 0 before anything was written. */
    public int status() {
        return status;
    }

    public void setHeader(String name, String value) {
        exchange.setHeader(name, value);
    }

    public void addHeader(String name, String value) {
        exchange.addHeader(name, value);
    }

    public void removeHeader(String name) {
        exchange.removeHeader(name);
    }

    public Optional<String> responseHeader(String name) {
        return exchange.responseHeader(name);
    }

    /**
     * Writes {@code data} as JSON. On a 2xx with a {@code fields} query parameter only the picked fields are
     * written (for a list result: picked inside {@code items}).
     */
    public void json(int status, Object data) {
        setHeaderIfEmpty("Content-Type", "application/json");
        Optional<String> fields = queryParam(FIELDS_PARAM).filter(f -> !f.isEmpty());
        byte[] bytes;
        if (fields.isPresent() && status >= 200 && status <= 299) {
            try {
                bytes = Json.write(Picker.pick(Json.tree(data), fields.get(), data instanceof ListPage));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "", Map.of(), e);
            }
        } else {
            bytes = Json.write(data);
        }
        send(status, bytes);
    }

    public void string(int status, String text) {
        setHeaderIfEmpty("Content-Type", "text/plain; charset=utf-8");
        send(status, text.getBytes(StandardCharsets.UTF_8));
    }

    public void html(int status, String html) {
        setHeaderIfEmpty("Content-Type", "text/html; charset=utf-8");
        send(status, html.getBytes(StandardCharsets.UTF_8));
    }

    public void blob(int status, String contentType, byte[] bytes) {
        setHeaderIfEmpty("Content-Type", contentType);
        send(status, bytes);
    }

    public void noContent(int status) {
        send(status, new byte[0]);
    }

    public void redirect(int status, String location) {
        setHeader("Location", location);
        send(status, new byte[0]);
    }

    /** Starts a response written in parts (e.g. server-sent events); flush the stream to send. */
    public OutputStream stream(int status, String contentType) {
        setHeaderIfEmpty("Content-Type", contentType);
        markWritten(status);
        exchange.status(status);
        return exchange.stream();
    }

    private void send(int status, byte[] bytes) {
        markWritten(status);
        exchange.status(status);
        exchange.write(bytes);
    }

    private void markWritten(int newStatus) {
        if (written) {
            throw new IllegalStateException("the response was already written");
        }
        written = true;
        status = newStatus;
    }

    private void setHeaderIfEmpty(String name, String value) {
        if (exchange.responseHeader(name).isEmpty()) {
            exchange.setHeader(name, value);
        }
    }

    /**
     * Writes the error response for a failed chain, unless something was already written. Errors that are
     * not {@link ApiError}s are logged and answered with a generic 500, so no internal detail leaks.
     */
    void writeError(RuntimeException error) {
        ApiError apiError = toApiError(error);
        if (written) {
            LOG.debug("error after the response was written: {}", apiError.message(), error);
            return;
        }
        setHeaderIfEmpty("Content-Type", "application/json");
        if (method().equals("HEAD")) {
            send(apiError.status(), new byte[0]);
        } else {
            try {
                send(apiError.status(), Json.write(apiError.toMap()));
            } catch (UncheckedIOException e) {
                LOG.debug("failed to write the error response", e);
            }
        }
    }

    static ApiError toApiError(RuntimeException error) {
        if (error instanceof ApiError apiError) {
            return apiError;
        }
        LOG.error("unhandled error in a request handler", error);
        return ApiError.internal("", error);
    }
}
