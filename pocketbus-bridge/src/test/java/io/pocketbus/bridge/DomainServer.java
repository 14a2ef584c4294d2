package io.pocketbus.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.App;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.db.sqlite.SqliteDialect;
import io.pocketbus.http.ApiHooks;
import io.pocketbus.http.Apis;
import io.pocketbus.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An app with the domain bound, served on a loopback ephemeral port, and a small JSON client for it. */
final class DomainServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final App app;
    final HttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();

    DomainServer(Path dataDir) {
        this(dataDir, null);
    }

    /** With {@code accounts} non-null, projects are bound to those broker accounts. */
    DomainServer(Path dataDir, ProjectAccounts accounts) {
        app = App.builder().dataDir(dataDir).dialect(SqliteDialect.create()).build();
        app.setRuleValidator(RuleCheck::validate);
        http = HttpServer.builder().app(app).address("127.0.0.1:0").build();
        PocketbusDomain.bind(app, http.onServe());
        if (accounts != null) {
            ProjectAccountsBinding.bind(app, http.onServe(), accounts);
        }
        app.bootstrap();
        Apis.bind(http.router(), List.of("*"), new ApiHooks());
        http.start();
    }

    record Response(int status, JsonNode body) {
    }

    Response call(String method, String path, String token, Map<String, ?> body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .header("Content-Type", "application/json");
            if (token != null) {
                b.header("Authorization", token);
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST answered with a file: its status, Content-Disposition and text. */
    HttpResponse<String> download(String path, String token, Map<String, ?> body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json").header("Authorization", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Registers a user through the API and signs them in; returns the auth token and record. */
    Response register(String email) {
        Response created = call("POST", "/api/collections/users/records", null,
                Map.of("email", email, "password", "secret-pass-1", "passwordConfirm", "secret-pass-1"));
        if (created.status() != 200) {
            throw new AssertionError("register failed: " + created);
        }
        return call("POST", "/api/collections/users/auth-with-password", null,
                Map.of("identity", email, "password", "secret-pass-1"));
    }

    @Override
    public void close() {
        http.stop();
        app.close();
    }
}
