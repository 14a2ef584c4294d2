package io.pocketbus.http;

import static io.pocketbus.http.FileTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Collection;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileApiTest {
    private static final String DEMO1_FILES = "/api/files/demo1/84nmscqy84lsi1t/";
    private static final String AVATAR = "/api/files/users/4q1xlclmfloku33/300_1SEi6Q6U72.png";

    @TempDir
    Path tmp;

    @Test
    void servesFixtureFilesWithPocketBaseHeaders() throws IOException {
        try (FileTestServer s = new FileTestServer(tmp)) {
            HttpResponse<byte[]> txt = s.get(DEMO1_FILES + "test_QZFjKjXchk.txt");
            assertThat(txt.statusCode()).isEqualTo(200);
            assertThat(txt.body()).isEqualTo(Files.readAllBytes(
                    ApiScenario.FIXTURE.resolve("storage/wsmn24bux7wo113/84nmscqy84lsi1t/test_QZFjKjXchk.txt")));
            assertThat(txt.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(txt.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=test_QZFjKjXchk.txt");
            assertThat(txt.headers().firstValue("Content-Security-Policy"))
                    .hasValue("default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
            assertThat(txt.headers().firstValue("Cache-Control")).hasValue("max-age=2592000, stale-while-revalidate=86400");
            assertThat(txt.headers().firstValue("X-Frame-Options")).isEmpty();
            assertThat(txt.headers().firstValue("Last-Modified")).isPresent();

            HttpResponse<byte[]> png = s.get(DEMO1_FILES + "300_WlbFWSGmW9.png");
            assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(png.headers().firstValue("Content-Disposition")).hasValue("inline; filename=300_WlbFWSGmW9.png");
            assertThat(s.get(DEMO1_FILES + "300_WlbFWSGmW9.png?download=1").headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=300_WlbFWSGmW9.png");
            assertThat(s.get(DEMO1_FILES + "logo_vcfJJG5TAh.svg").headers().firstValue("Content-Type"))
                    .hasValue("image/svg+xml");
        }
    }

    @Test
    void viewCollectionFilesAreServedFromTheSourceRecord() throws IOException {
        try (FileTestServer s = new FileTestServer(tmp)) {
            Path demo1Files = s.storage().resolve("wsmn24bux7wo113/84nmscqy84lsi1t");
            byte[] original = Files.readAllBytes(demo1Files.resolve("test_QZFjKjXchk.txt"));
            // view2 reads file_many from view1, which reads it from demo1
            for (String view : new String[] {"view1", "view2"}) {
                HttpResponse<byte[]> r = s.get("/api/files/" + view + "/84nmscqy84lsi1t/test_QZFjKjXchk.txt");
                assertThat(r.statusCode()).as(view).isEqualTo(200);
                assertThat(r.body()).isEqualTo(original);
            }
            HttpResponse<byte[]> thumb = s.get("/api/files/view2/84nmscqy84lsi1t/300_WlbFWSGmW9.png?thumb=100x100");
            assertThat(thumb.statusCode()).isEqualTo(200);
            assertThat(ImageIO.read(new ByteArrayInputStream(thumb.body())).getWidth()).isEqualTo(100);
            assertThat(demo1Files.resolve("thumbs_300_WlbFWSGmW9.png/100x100_300_WlbFWSGmW9.png")).exists();
            assertThat(s.storage().resolve(s.app.findCollectionByNameOrId("view2").orElseThrow().id())).doesNotExist();
            // a name the view record does not hold, and a record the view does not have
            assertThat(s.get("/api/files/view2/84nmscqy84lsi1t/missing_abcdefghij.txt").statusCode()).isEqualTo(404);
            assertThat(s.get("/api/files/view2/al1h9ijdeojtsjy/test_QZFjKjXchk.txt").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void rangeAndConditionalRequests() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            byte[] whole = s.get(AVATAR).body();
            HttpResponse<byte[]> part = s.get(AVATAR, "Range", "bytes=1-3");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1-3/" + whole.length);
            assertThat(part.body()).containsExactly(whole[1], whole[2], whole[3]);
            HttpResponse<byte[]> suffix = s.get(AVATAR, "Range", "bytes=-2");
            assertThat(suffix.body()).containsExactly(whole[whole.length - 2], whole[whole.length - 1]);
            HttpResponse<byte[]> beyond = s.get(AVATAR, "Range", "bytes=" + whole.length + "-");
            assertThat(beyond.statusCode()).isEqualTo(416);
            assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);
            String lastModified = s.get(AVATAR).headers().firstValue("Last-Modified").orElseThrow();
            assertThat(s.get(AVATAR, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
            HttpResponse<byte[]> head = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + AVATAR))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(whole.length));
        }
    }

    @Test
    void unknownOrForeignNamesAreNotFound() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            assertThat(s.get("/api/files/missing/84nmscqy84lsi1t/test_QZFjKjXchk.txt").statusCode()).isEqualTo(404);
            assertThat(s.get("/api/files/demo1/missing/test_QZFjKjXchk.txt").statusCode()).isEqualTo(404);
            // a file of another record of the same collection
            assertThat(s.get(DEMO1_FILES + "300_Jsjq7RdBgA.png").statusCode()).isEqualTo(404);
            assertThat(s.get(DEMO1_FILES + "test_QZFjKjXchk.txt.attrs").statusCode()).isEqualTo(404);
            for (String traversal : new String[] {"..%2F..%2F..%2Fdata.db", "%2E%2E", "..%5C..%5Cdata.db"}) {
                HttpResponse<byte[]> r = s.get(DEMO1_FILES + traversal);
                assertThat(r.statusCode()).as(traversal).isIn(404, 400);
                assertThat(text(r)).as(traversal).doesNotContain("SQLite");
            }
        }
    }

    @Test
    void thumbsInEveryFormAreMadeOnceAndCached() throws IOException {
        try (FileTestServer s = new FileTestServer(tmp)) {
            Path thumbs = s.storage().resolve("_pb_users_auth_/4q1xlclmfloku33/thumbs_300_1SEi6Q6U72.png");
            String[][] cases = {{"70x50", "70", "50"}, {"70x50t", "70", "50"}, {"70x50b", "70", "50"},
                    {"70x50f", "50", "50"}, {"0x50", "50", "50"}, {"70x0", "70", "70"}};
            for (String[] c : cases) {
                HttpResponse<byte[]> r = s.get(AVATAR + "?thumb=" + c[0]);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Disposition"))
                        .hasValue("inline; filename=" + c[0] + "_300_1SEi6Q6U72.png");
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
                assertThat(img.getWidth() + "x" + img.getHeight()).as(c[0]).isEqualTo(c[1] + "x" + c[2]);
                Path stored = thumbs.resolve(c[0] + "_300_1SEi6Q6U72.png");
                assertThat(stored).exists();
                assertThat(thumbs.resolve(c[0] + "_300_1SEi6Q6U72.png.attrs")).content().contains("\"image/png\"");
            }
            Path cached = thumbs.resolve("70x50_300_1SEi6Q6U72.png");
            Files.write(cached, new byte[] {1, 2, 3});
            assertThat(s.get(AVATAR + "?thumb=70x50").body()).containsExactly(1, 2, 3);

            byte[] original = s.get(AVATAR).body();
            assertThat(s.get(AVATAR + "?thumb=10x10").body()).isEqualTo(original);
            assertThat(s.get(AVATAR + "?thumb=abc").body()).isEqualTo(original);
            assertThat(thumbs.resolve("10x10_300_1SEi6Q6U72.png")).doesNotExist();
            // the default 100x100 is always allowed; a text file has no thumbs
            assertThat(s.get(AVATAR + "?thumb=100x100").headers().firstValue("Content-Disposition"))
                    .hasValue("inline; filename=100x100_300_1SEi6Q6U72.png");
            HttpResponse<byte[]> txt = s.get(DEMO1_FILES + "test_QZFjKjXchk.txt?thumb=100x100");
            assertThat(txt.statusCode()).isEqualTo(200);
            assertThat(txt.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=test_QZFjKjXchk.txt");
        }
    }

    @Test
    void protectedFilesNeedAFileTokenAndTheViewRule() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            Collection demo1 = s.app.findCollectionByNameOrId("demo1").orElseThrow();
            demo1.setViewRule(Optional.of("@request.auth.collectionName = 'users'"));
            s.app.save(demo1);
            String url = DEMO1_FILES + "test_d61b33QdDU.txt";
            assertThat(s.get(url).statusCode()).isEqualTo(404);
            assertThat(s.get(url + "?token=invalid").statusCode()).isEqualTo(404);
            // an auth token is not a file token
            assertThat(s.get(url + "?token=" + s.token("users", "test@example.com")).statusCode()).isEqualTo(404);

            HttpResponse<byte[]> noAuth = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + "/api/files/token"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(noAuth.statusCode()).isEqualTo(401);
            String userFileToken = fileToken(s, s.token("users", "test@example.com"));
            assertThat(s.get(url + "?token=" + userFileToken).statusCode()).isEqualTo(200);
            // a token whose record fails the view rule
            String superuserFileToken = fileToken(s, s.superuser());
            assertThat(s.get(url + "?token=" + superuserFileToken).statusCode()).isEqualTo(200);
            // the unprotected field of the same record needs nothing
            assertThat(s.get(DEMO1_FILES + "test_QZFjKjXchk.txt").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void expiredFileTokenIsRefused() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            Collection demo1 = s.app.findCollectionByNameOrId("demo1").orElseThrow();
            demo1.setViewRule(Optional.of("@request.auth.id != ''"));
            s.app.save(demo1);
            Collection users = s.app.findCollectionByNameOrId("users").orElseThrow();
            String token = s.app.newFileToken(s.app.findRecordsByField(users, "email", "test@example.com").getFirst());
            String[] parts = token.split("\\.");
            String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("\"exp\":\\d+", "\"exp\":1");
            String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
            assertThat(s.get(DEMO1_FILES + "test_d61b33QdDU.txt?token=" + token).statusCode()).isEqualTo(200);
            assertThat(s.get(DEMO1_FILES + "test_d61b33QdDU.txt?token=" + tampered).statusCode()).isEqualTo(404);
        }
    }

    private static String fileToken(FileTestServer s, String authToken) {
        HttpResponse<byte[]> r = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + "/api/files/token"))
                .POST(HttpRequest.BodyPublishers.noBody()), "Authorization", authToken);
        assertThat(r.statusCode()).isEqualTo(200);
        return String.valueOf(FileTestServer.json(r).get("token"));
    }
}
