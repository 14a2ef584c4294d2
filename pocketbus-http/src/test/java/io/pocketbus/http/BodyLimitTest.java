package io.pocketbus.http;

import static io.pocketbus.http.FileTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record create/update bodies are limited per collection as PocketBase's {@code dynamicCollectionBodyLimit}:
 * 32 MiB plus every file field's {@code maxSize × maxSelect} and every json/editor field's {@code maxSize}.
 */
class BodyLimitTest {
    private static final String TOO_LARGE = "{\"data\":{},\"message\":\"Request entity too large.\",\"status\":413}";
    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void theLimitIsTheDefaultPlusTheCollectionsFileJsonAndEditorMaxSizes() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            // demo1: file_one 5 MiB (default) × 1, file_many 5 MiB × 99, json 5 MiB
            assertThat(BodyLimit.limitFor(s.app.findCollectionByNameOrId("demo1").orElseThrow()))
                    .isEqualTo(32 * MIB + 5 * MIB + 99 * 5 * MIB + 5 * MIB);
            // users: avatar 5 MiB × 1, file 5 MiB × 5
            assertThat(BodyLimit.limitFor(s.app.findCollectionByNameOrId("users").orElseThrow())).isEqualTo(62 * MIB);
            assertThat(BodyLimit.limitFor(s.app.findCollectionByNameOrId("demo2").orElseThrow())).isEqualTo(32 * MIB);
            // views get the default whatever their fields
            assertThat(BodyLimit.limitFor(s.app.findCollectionByNameOrId("view1").orElseThrow())).isEqualTo(32 * MIB);
        }
    }

    @Test
    void bodiesOverTheCollectionsLimitAre413OnCreateAndUpdate() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            HttpResponse<byte[]> created = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + "/api/collections"))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name":"limited","type":"base","createRule":"","updateRule":"","viewRule":"",
                             "fields":[{"name":"title","type":"text","max":0},
                                       {"name":"docs","type":"file","maxSelect":2,"maxSize":1000},
                                       {"name":"data","type":"json","maxSize":500},
                                       {"name":"body","type":"editor","maxSize":100}]}""")),
                    "Authorization", su, "Content-Type", "application/json");
            assertThat(created.statusCode()).as(text(created)).isEqualTo(200);
            long limit = 32 * MIB + 2 * 1000 + 500 + 100;

            // exactly the limit passes
            HttpResponse<byte[]> atLimit = post(s, "/api/collections/limited/records", json(limit));
            assertThat(atLimit.statusCode()).as(text(atLimit)).isEqualTo(200);
            String id = text(atLimit).replaceAll("(?s).*\"id\":\"([a-z0-9]+)\".*", "$1");

            HttpResponse<byte[]> overCreate = post(s, "/api/collections/limited/records", json(limit + 1));
            assertThat(overCreate.statusCode()).isEqualTo(413);
            assertThat(text(overCreate)).isEqualTo(TOO_LARGE + "\n");

            HttpResponse<byte[]> overUpdate = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl()
                    + "/api/collections/limited/records/" + id)).expectContinue(true)
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(json(limit + 1))),
                    "Content-Type", "application/json");
            assertThat(overUpdate.statusCode()).isEqualTo(413);

            // a collection with no such fields keeps the default, which users' file fields raise
            assertThat(post(s, "/api/collections/demo2/records", json(32 * MIB + 1)).statusCode()).isEqualTo(413);
            HttpResponse<byte[]> users = post(s, "/api/collections/users/records", json(33 * MIB));
            assertThat(users.statusCode()).isEqualTo(400);
            assertThat(text(users)).contains("\"password\":{\"code\":\"validation_required\"");

            // an unknown collection is PocketBase's 404 from the limit middleware
            HttpResponse<byte[]> missing = post(s, "/api/collections/missing/records", json(100));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(text(missing)).contains("Missing or invalid collection context.");
        }
    }

    /** A JSON body of exactly {@code size} bytes: {@code {"title":"big"}} padded with whitespace. */
    private static byte[] json(long size) {
        String prefix = "{\"title\":\"big\"";
        return (prefix + " ".repeat((int) size - prefix.length() - 1) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** With "Expect: 100-continue", as clients send large uploads, so the 413 arrives before the body. */
    private static HttpResponse<byte[]> post(FileTestServer s, String url, byte[] body) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + url)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "Content-Type", "application/json");
    }
}
