package io.pocketbus.http;

import io.pocketbus.core.App;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A started server over a fresh copy of the PocketBase fixture, for flows that take several requests
 * (request a mail, read it, confirm).
 */
final class AuthFlowServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    final App app;
    final HttpServer server;

    /** A finished exchange. */
    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        String token() {
            Matcher m = TOKEN.matcher(body);
            if (!m.find()) {
                throw new AssertionError("no token in " + body);
            }
            return m.group(1);
        }

        String field(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(body);
            if (!m.find()) {
                throw new AssertionError("no " + name + " in " + body);
            }
            return m.group(1);
        }
    }

    AuthFlowServer(Path tempDir) {
        this(tempDir, new ApiHooks());
    }

    /** With request {@code hooks} a test binds handlers to. */
    AuthFlowServer(Path tempDir, ApiHooks hooks) {
        try {
            Path data = Files.createTempDirectory(tempDir, "pb_data");
            ApiScenario.copyFixture(data);
            app = App.builder().dataDir(data).dialect(SqliteDialect.create()).build();
            app.setRuleValidator(io.pocketbus.core.RuleCheck::validate);
            app.bootstrap();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Router router = new Router();
        Apis.bind(router, List.of("*"), hooks);
        server = HttpServer.builder().app(app).router(router).address("127.0.0.1:0").build();
        server.start();
    }

    String baseUrl() {
        return server.baseUrl();
    }

    Response post(String path, String json, String... headers) {
        return send("POST", path, json, headers);
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** {@code headers} are name, value pairs. */
    Response send(String method, String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh auth token of the record with {@code email} in {@code collection}. */
    String tokenOf(String collection, String email) {
        return app.newAuthToken(app.findAuthRecordByEmail(collection, email).orElseThrow());
    }

    @Override
    public void close() {
        server.stop();
        app.close();
    }
}
