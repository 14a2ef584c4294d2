package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.Collection;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.Record;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file scenarios on both storage backends — the data directory's {@code storage/} and the embedded
 * broker's Object Store, switched on through the settings while the server runs — over HTTP: uploads,
 * removal after commit (replaced, removed, record deleted), ranges, thumbs, protected files, backup and restore.
 */
class FileStorageBackendsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String COLLECTION = """
            {"name":"docs","type":"base","listRule":"","viewRule":"@request.auth.id != ''","createRule":"","updateRule":"","deleteRule":"",
             "fields":[{"name":"title","type":"text"},
                       {"name":"doc","type":"file","maxSelect":3,"maxSize":1048576,"thumbs":["50x50"]},
                       {"name":"secret","type":"file","maxSelect":1,"protected":true}]}""";

    @TempDir
    Path dir;

    /** A started server with the {@code docs} collection, its file fields on {@code backend}. */
    private record Server(Pocketbus pb, String superuser, String collectionId) implements AutoCloseable {
        HttpResponse<byte[]> send(String method, String url, byte[] body, String... headers) throws Exception {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(pb.url() + url))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i < headers.length; i += 2) {
                r.header(headers[i], headers[i + 1]);
            }
            return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        HttpResponse<byte[]> json(String method, String url, String body) throws Exception {
            return send(method, url, body.getBytes(StandardCharsets.UTF_8), "Authorization", superuser,
                    "Content-Type", "application/json");
        }

        JsonNode multipart(String method, String url, Multipart body) throws Exception {
            HttpResponse<byte[]> r = send(method, url, body.bytes(), "Content-Type", body.contentType(),
                    "Authorization", superuser);
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            return JSON.readTree(r.body());
        }

        byte[] download(String recordId, String name, String query) throws Exception {
            HttpResponse<byte[]> r = send("GET", "/api/files/docs/" + recordId + "/" + name + query, null);
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }

        String key(String recordId, String name) {
            return collectionId + "/" + recordId + "/" + name;
        }

        @Override
        public void close() {
            pb.close();
        }
    }

    private Server start(String backend) throws Exception {
        Pocketbus pb = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").nats("127.0.0.1:0")
                .build().start();
        Collection superusers = pb.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
        Record su = new Record(superusers);
        su.set("email", "files@example.com");
        su.set("password", "files-password-1");
        pb.app().save(su);
        String token = pb.app().newAuthToken(su);
        Server s = new Server(pb, token, "");
        assertThat(s.json("POST", "/api/collections", COLLECTION).statusCode()).isEqualTo(200);
        if (backend.equals("objectstore")) {
            HttpResponse<byte[]> r = s.json("PATCH", "/api/settings", "{\"objectStore\":{\"enabled\":true,\"bucket\":\"files_test\"}}");
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(pb.app().files()).isInstanceOf(ObjectStoreFileStorage.class);
        } else {
            assertThat(pb.app().files()).isSameAs(pb.app().localFiles());
        }
        return new Server(pb, token, pb.app().findCollectionByNameOrId("docs").orElseThrow().id());
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 7 + y * 13) & 0xffffff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static List<String> names(JsonNode record, String field) {
        List<String> out = new java.util.ArrayList<>();
        record.path(field).forEach(n -> out.add(n.asText()));
        if (record.path(field).isTextual()) {
            return List.of(record.path(field).asText());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "objectstore"})
    void uploadServeAndCleanUp(String backend) throws Exception {
        try (Server s = start(backend)) {
            FileStorage storage = s.pb().app().files();
            byte[] image = png(120, 80);
            JsonNode created = s.multipart("POST", "/api/collections/docs/records", new Multipart().field("title", "a")
                    .file("doc", "Photo One.png", "image/png", image).file("doc", "notes.txt", "text/plain",
                            "hello notes".getBytes(StandardCharsets.UTF_8))
                    .file("secret", "secret.txt", "text/plain", "top secret".getBytes(StandardCharsets.UTF_8)));
            String id = created.path("id").asText();
            List<String> docs = names(created, "doc");
            assertThat(docs).hasSize(2);
            String photo = docs.get(0);
            String notes = docs.get(1);
            assertThat(photo).matches("photo_one_[a-z0-9]{10}\\.png");
            String secret = names(created, "secret").getFirst();

            // stored in the selected backend only
            assertThat(storage.attributes(s.key(id, photo)).orElseThrow().contentType()).isEqualTo("image/png");
            boolean onDisk = Files.exists(dir.resolve("pb_data/storage").resolve(s.key(id, photo)));
            assertThat(onDisk).isEqualTo(backend.equals("local"));

            // whole file, a range, content type
            assertThat(s.download(id, photo, "")).isEqualTo(image);
            HttpResponse<byte[]> range = s.send("GET", "/api/files/docs/" + id + "/" + notes, null, "Range", "bytes=6-10");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("notes");
            assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 6-10/11");

            // a thumb the field allows is made once and kept beside the file; another size gets the original
            byte[] thumb = s.download(id, photo, "?thumb=50x50");
            assertThat(ImageIO.read(new java.io.ByteArrayInputStream(thumb)).getWidth()).isEqualTo(50);
            String thumbKey = s.collectionId() + "/" + id + "/thumbs_" + photo + "/50x50_" + photo;
            assertThat(storage.attributes(thumbKey)).isPresent();
            assertThat(s.download(id, photo, "?thumb=50x50")).isEqualTo(thumb);
            assertThat(s.download(id, photo, "?thumb=20x20")).isEqualTo(image);

            // protected: only with a file token
            assertThat(s.send("GET", "/api/files/docs/" + id + "/" + secret, null).statusCode()).isEqualTo(404);
            HttpResponse<byte[]> tokenResponse = s.json("POST", "/api/files/token", "");
            String fileToken = JSON.readTree(tokenResponse.body()).path("token").asText();
            assertThat(new String(s.download(id, secret, "?token=" + fileToken), StandardCharsets.UTF_8))
                    .isEqualTo("top secret");

            // removing a file from the field deletes it and its thumbs after the commit
            JsonNode updated = s.multipart("PATCH", "/api/collections/docs/records/" + id,
                    new Multipart().field("doc-", photo));
            assertThat(names(updated, "doc")).containsExactly(notes);
            assertThat(storage.attributes(s.key(id, photo))).isEmpty();
            assertThat(storage.list(s.collectionId() + "/" + id + "/thumbs_" + photo)).isEmpty();
            assertThat(s.send("GET", "/api/files/docs/" + id + "/" + photo, null).statusCode()).isEqualTo(404);

            // replacing the protected file deletes the old one
            JsonNode replaced = s.multipart("PATCH", "/api/collections/docs/records/" + id, new Multipart()
                    .file("secret", "other.txt", "text/plain", "new secret".getBytes(StandardCharsets.UTF_8)));
            String newSecret = names(replaced, "secret").getFirst();
            assertThat(storage.attributes(s.key(id, secret))).isEmpty();
            assertThat(storage.attributes(s.key(id, newSecret))).isPresent();

            // a failed update (too many files) leaves no new file behind
            HttpResponse<byte[]> tooMany = s.send("PATCH", "/api/collections/docs/records/" + id, new Multipart()
                    .file("doc+", "x1.txt", "text/plain", new byte[] {1}).file("doc+", "x2.txt", "text/plain", new byte[] {2})
                    .file("doc+", "x3.txt", "text/plain", new byte[] {3}).bytes(),
                    "Content-Type", "multipart/form-data; boundary=" + Multipart.BOUNDARY);
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(storage.list(s.collectionId() + "/" + id)).containsExactlyInAnyOrder(s.key(id, notes),
                    s.key(id, newSecret));

            // deleting the record deletes all of its files
            assertThat(s.send("DELETE", "/api/collections/docs/records/" + id, null).statusCode()).isEqualTo(204);
            assertThat(storage.list(s.collectionId() + "/" + id)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "objectstore"})
    void backupAndRestoreRoundTripRecordsAndFiles(String backend) throws Exception {
        try (Server s = start(backend)) {
            byte[] image = png(64, 64);
            JsonNode kept = s.multipart("POST", "/api/collections/docs/records", new Multipart().field("title", "kept")
                    .file("doc", "kept.png", "image/png", image));
            String id = kept.path("id").asText();
            String name = names(kept, "doc").getFirst();
            assertThat(s.json("POST", "/api/backups", "{\"name\":\"snap.zip\"}").statusCode()).isEqualTo(204);

            // after the backup: the record is deleted, another one added
            assertThat(s.send("DELETE", "/api/collections/docs/records/" + id, null).statusCode()).isEqualTo(204);
            JsonNode later = s.multipart("POST", "/api/collections/docs/records", new Multipart().field("title", "later")
                    .file("doc", "later.txt", "text/plain", "later".getBytes(StandardCharsets.UTF_8)));
            String laterId = later.path("id").asText();
            assertThat(s.send("GET", "/api/files/docs/" + id + "/" + name, null).statusCode()).isEqualTo(404);

            assertThat(s.json("POST", "/api/backups/snap.zip/restore", "").statusCode()).isEqualTo(204);
            FileStorage storage = s.pb().app().files();
            assertThat(storage.getClass()).isEqualTo(backend.equals("local")
                    ? s.pb().app().localFiles().getClass() : ObjectStoreFileStorage.class);
            assertThat(s.download(id, name, "")).isEqualTo(image);
            assertThat(s.send("GET", "/api/collections/docs/records/" + laterId, null, "Authorization", s.superuser())
                    .statusCode()).isEqualTo(404);
            assertThat(s.send("GET", "/api/collections/docs/records/" + id, null, "Authorization", s.superuser())
                    .statusCode()).isEqualTo(200);
            assertThat(storage.list(s.collectionId() + "/" + laterId)).isEmpty();
            assertThat(dir.resolve("pb_data/objectstore")).doesNotExist();
        }
    }

    @org.junit.jupiter.api.Test
    void objectStoreSettingsAreValidated() throws Exception {
        try (Server s = start("local")) {
            HttpResponse<byte[]> badName = s.json("PATCH", "/api/settings",
                    "{\"objectStore\":{\"enabled\":true,\"bucket\":\"no spaces\"}}");
            assertThat(badName.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(badName.body()).at("/data/objectStore/bucket/code").asText())
                    .isEqualTo("validation_match_invalid");
            assertThat(s.pb().app().files()).isSameAs(s.pb().app().localFiles());
            // switching back and forth takes effect at once; nothing is moved between the backends
            assertThat(s.json("PATCH", "/api/settings", "{\"objectStore\":{\"enabled\":true}}").statusCode()).isEqualTo(200);
            assertThat(s.pb().app().files()).isInstanceOf(ObjectStoreFileStorage.class);
            assertThat(JSON.readTree(s.json("GET", "/api/settings", "").body()).path("objectStore").toString())
                    .isEqualTo("{\"enabled\":true}");
            assertThat(s.json("PATCH", "/api/settings", "{\"objectStore\":{\"enabled\":false}}").statusCode()).isEqualTo(200);
            assertThat(s.pb().app().files()).isSameAs(s.pb().app().localFiles());
        }
        try (Pocketbus noBroker = Pocketbus.builder().dataDir(dir.resolve("no_broker")).http("127.0.0.1:0").build().start()) {
            Collection superusers = noBroker.app().findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
            Record su = new Record(superusers);
            su.set("email", "files@example.com");
            su.set("password", "files-password-1");
            noBroker.app().save(su);
            HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(noBroker.url() + "/api/settings"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"objectStore\":{\"enabled\":true}}"))
                    .header("Authorization", noBroker.app().newAuthToken(su)).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).at("/data/objectStore/enabled/code").asText())
                    .isEqualTo("validation_object_store_unavailable");
        }
    }

    /** A multipart/form-data body. */
    static final class Multipart {
        static final String BOUNDARY = "pocketbusFilesTest";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String filename, String contentType, byte[] content) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + BOUNDARY;
        }

        byte[] bytes() {
            byte[] end = ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] body = out.toByteArray();
            byte[] all = Arrays.copyOf(body, body.length + end.length);
            System.arraycopy(end, 0, all, body.length, end.length);
            return all;
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
