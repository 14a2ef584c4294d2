package io.pocketbus.http;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A running server over a fresh copy of the PocketBase fixture, for the file API tests (binary bodies). */
final class FileTestServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    final Path dataDir;
    final App app;
    final HttpServer server;

    FileTestServer(Path tmp) {
        try {
            dataDir = Files.createTempDirectory(tmp, "pb_data");
            ApiScenario.copyFixture(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        app = App.builder().dataDir(dataDir).dialect(SqliteDialect.create()).build();
        app.setRuleValidator(io.pocketbus.core.RuleCheck::validate);
        app.bootstrap();
        Router router = new Router();
        Apis.bind(router, List.of("*"), new ApiHooks());
        server = HttpServer.builder().app(app).router(router).address("127.0.0.1:0").build();
        server.start();
    }

    String token(String collection, String email) {
        Collection c = app.findCollectionByNameOrId(collection).orElseThrow();
        return app.newAuthToken(app.findRecordsByField(c, "email", email).getFirst());
    }

    String superuser() {
        return token("_superusers", "test@example.com");
    }

    HttpResponse<byte[]> get(String url, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + url)).GET(), headers);
    }

    HttpResponse<byte[]> send(String method, String url, Multipart body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + url))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .header("Content-Type", body.contentType());
        return send(b, headers);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path storage() {
        return dataDir.resolve("storage");
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
        app.close();
    }

    /** A multipart/form-data body built part by part. */
    static final class Multipart {
        private final String boundary = "pbtest" + System.nanoTime();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String filename, String contentType, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        Multipart file(String name, String filename, String text) {
            return file(name, filename, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static Map<String, Object> json(HttpResponse<byte[]> r) {
        return RequestBody.parseJsonObject(r.body());
    }
}
