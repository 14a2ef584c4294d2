package io.pocketbus.http;

import static io.pocketbus.http.FileTestServer.json;
import static io.pocketbus.http.FileTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.FileField;
import io.pocketbus.core.Record;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileUploadTest {
    private static final String DEMO3 = "/api/collections/demo3/records";
    private static final String USER1 = "/api/collections/users/records/4q1xlclmfloku33";

    @TempDir
    Path tmp;

    @Test
    void createStoresFilesUnderSanitisedNames() throws IOException {
        try (FileTestServer s = new FileTestServer(tmp)) {
            HttpResponse<byte[]> r = s.send("POST", DEMO3, new FileTestServer.Multipart().field("title", "new")
                    .file("files", "My Notes.TXT", "hello").file("files", "pic.png", "image/png", png(30, 20)),
                    "Authorization", s.superuser());
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            List<String> names = names(json(r).get("files"));
            assertThat(names).hasSize(2);
            assertThat(names.get(0)).matches("my_notes_[a-z0-9]{10}\\.TXT");
            assertThat(names.get(1)).matches("pic_[a-z0-9]{10}\\.png");
            Path dir = s.storage().resolve("wzlqyes4orhoygb").resolve(String.valueOf(json(r).get("id")));
            assertThat(dir.resolve(names.get(0))).hasContent("hello");
            assertThat(dir.resolve(names.get(0) + ".attrs")).content()
                    .contains("\"user.content_type\":\"text/plain; charset=utf-8\"", "\"original-filename\":\"My Notes.TXT\"");
            HttpResponse<byte[]> served = s.get("/api/files/demo3/" + json(r).get("id") + "/" + names.get(1));
            assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");
        }
    }

    @Test
    void modifiersAppendPrependRemoveAndReplace() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String url = DEMO3 + "/lcl9d87w22ml6jy";
            Path dir = s.storage().resolve("wzlqyes4orhoygb/lcl9d87w22ml6jy");
            String su = s.superuser();
            List<String> appended = names(json(s.send("PATCH", url,
                    new FileTestServer.Multipart().file("files+", "a.txt", "a"), "Authorization", su)).get("files"));
            assertThat(appended).hasSize(3).startsWith("test_FLurQTgrY8.txt", "300_UhLKX91HVb.png");
            List<String> prepended = names(json(s.send("PATCH", url,
                    new FileTestServer.Multipart().file("+files", "bee.txt", "b"), "Authorization", su)).get("files"));
            assertThat(prepended).hasSize(4).endsWith(appended.toArray(String[]::new));
            assertThat(prepended.getFirst()).startsWith("bee_");

            List<String> removed = names(json(s.send("PATCH", url,
                    new FileTestServer.Multipart().field("files-", "test_FLurQTgrY8.txt"), "Authorization", su)).get("files"));
            assertThat(removed).doesNotContain("test_FLurQTgrY8.txt").hasSize(3);
            assertThat(dir.resolve("test_FLurQTgrY8.txt")).doesNotExist();
            assertThat(dir.resolve("test_FLurQTgrY8.txt.attrs")).doesNotExist();

            // a plain key replaces everything; kept names may be sent along with new files
            List<String> replaced = names(json(s.send("PATCH", url, new FileTestServer.Multipart()
                    .field("files", "300_UhLKX91HVb.png").file("files+", "c.txt", "c"), "Authorization", su)).get("files"));
            assertThat(replaced).hasSize(2).startsWith("300_UhLKX91HVb.png");
            assertThat(dir.resolve("thumbs_300_UhLKX91HVb.png")).exists();
            assertThat(dir.resolve(prepended.getFirst())).doesNotExist();
            assertThat(dir.resolve(replaced.get(1))).hasContent("c");

            HttpResponse<byte[]> cleared = s.send("PATCH", url, new FileTestServer.Multipart().field("files", ""),
                    "Authorization", su);
            assertThat(names(json(cleared).get("files"))).isEmpty();
            assertThat(dir.resolve("300_UhLKX91HVb.png")).doesNotExist();
            assertThat(dir.resolve("thumbs_300_UhLKX91HVb.png")).doesNotExist();
        }
    }

    @Test
    void badUploadsFailWithPocketBaseErrorsAndLeaveNoFiles() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            Path userDir = s.storage().resolve("_pb_users_auth_/4q1xlclmfloku33");
            List<Path> before = listTree(s.storage());

            Collection demo3 = s.app.findCollectionByNameOrId("demo3").orElseThrow();
            ((FileField) demo3.field("files").orElseThrow()).setMaxSelect(2);
            s.app.save(demo3);
            HttpResponse<byte[]> tooMany = s.send("PATCH", DEMO3 + "/7nwo8tuiatetxdm", new FileTestServer.Multipart()
                    .file("files+", "a.txt", "a").file("files+", "b.txt", "b"), "Authorization", su);
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(text(tooMany)).contains("\"code\":\"validation_too_many_files\"");

            HttpResponse<byte[]> wrongType = s.send("PATCH", USER1, new FileTestServer.Multipart()
                    .file("avatar", "fake.png", "image/png", "not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "Authorization", su);
            assertThat(wrongType.statusCode()).isEqualTo(400);
            assertThat(text(wrongType)).contains("\"code\":\"validation_invalid_mime_type\"",
                    "mime type must be one of: image/jpg, image/jpeg, image/png, image/svg+xml, image/gif.");

            Collection users = s.app.findCollectionByNameOrId("users").orElseThrow();
            ((FileField) users.field("avatar").orElseThrow()).setMaxSize(10);
            s.app.save(users);
            HttpResponse<byte[]> tooBig = s.send("PATCH", USER1, new FileTestServer.Multipart()
                    .file("avatar", "big.png", "image/png", png(50, 50)), "Authorization", su);
            assertThat(tooBig.statusCode()).isEqualTo(400);
            assertThat(text(tooBig)).contains("\"code\":\"validation_file_size_limit\"",
                    "Failed to upload big.png - the maximum allowed file size is 10 bytes.");

            HttpResponse<byte[]> traversal = s.send("PATCH", DEMO3 + "/lcl9d87w22ml6jy", new FileTestServer.Multipart()
                    .field("files", "../../../data.db"), "Authorization", su);
            assertThat(traversal.statusCode()).isEqualTo(400);
            assertThat(text(traversal)).contains("\"code\":\"validation_invalid_file\"");

            HttpResponse<byte[]> evilName = s.send("PATCH", DEMO3 + "/lcl9d87w22ml6jy", new FileTestServer.Multipart()
                    .file("files", "../../../../evil.txt", "x"), "Authorization", su);
            assertThat(evilName.statusCode()).isEqualTo(200);
            assertThat(names(json(evilName).get("files")).getFirst()).matches("evil_[a-z0-9]{10}\\.txt");
            assertThat(s.dataDir.getParent().resolve("evil.txt")).doesNotExist();

            assertThat(userDir.resolve("300_1SEi6Q6U72.png")).exists();
            List<Path> after = listTree(s.storage());
            after.removeIf(p -> p.toString().contains("lcl9d87w22ml6jy"));
            assertThat(s.storage().resolve("wzlqyes4orhoygb/7nwo8tuiatetxdm")).isDirectoryNotContaining("glob:**/a_*");
            before.removeIf(p -> p.toString().contains("lcl9d87w22ml6jy"));
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void failedTransactionRemovesTheNewFiles() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            s.app.onRecordCreateExecute().bindFunc(e -> {
                e.next();
                throw ApiError.badRequest("refused after the write");
            });
            List<Path> before = listTree(s.storage());
            HttpResponse<byte[]> r = s.send("POST", DEMO3, new FileTestServer.Multipart().file("files", "x.txt", "x"),
                    "Authorization", s.superuser());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(listTree(s.storage())).isEqualTo(before);
        }
    }

    @Test
    void deletingTheRecordRemovesItsFilesAfterCommit() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            String id = String.valueOf(json(s.send("POST", DEMO3, new FileTestServer.Multipart()
                    .file("files", "gone.txt", "x"), "Authorization", su)).get("id"));
            Path dir = s.storage().resolve("wzlqyes4orhoygb").resolve(id);
            assertThat(dir).isNotEmptyDirectory();
            HttpResponse<byte[]> r = s.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(s.server.baseUrl() + DEMO3 + "/" + id)).DELETE(),
                    "Authorization", s.superuser());
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void batchMultipartUploadsPerRequest() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            HttpResponse<byte[]> r = s.send("POST", "/api/batch", new FileTestServer.Multipart()
                    .field("@jsonPayload", "{\"requests\":[{\"method\":\"POST\",\"url\":\"/api/collections/demo3/records\","
                            + "\"body\":{\"title\":\"b1\"}},{\"method\":\"PATCH\",\"url\":"
                            + "\"/api/collections/demo3/records/1tmknxy2868d869\",\"body\":{}}]}")
                    .file("requests.0.files", "one.txt", "1").file("requests[1].files+", "two.txt", "2"),
                    "Authorization", s.superuser());
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            String body = text(r);
            assertThat(body).containsPattern("\"files\":\\[\"one_[a-z0-9]{10}\\.txt\"\\]")
                    .containsPattern("\"files\":\\[\"two_[a-z0-9]{10}\\.txt\"\\]");
            Record updated = s.app.findRecordById("demo3", "1tmknxy2868d869").orElseThrow();
            assertThat(s.storage().resolve("wzlqyes4orhoygb/1tmknxy2868d869")
                    .resolve(updated.getStringList("files").getFirst())).hasContent("2");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Object value) {
        return value instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(value));
    }

    private static List<Path> listTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return new java.util.ArrayList<>(walk.map(root::relativize).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
