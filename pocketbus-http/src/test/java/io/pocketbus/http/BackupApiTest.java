package io.pocketbus.http;

import static io.pocketbus.http.FileTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupApiTest {
    @TempDir
    Path tmp;

    @Test
    void createListDownloadDeleteAndGuards() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            assertThat(post(s, "/api/backups", "{\"name\":\"first.zip\"}", su).statusCode()).isEqualTo(204);
            assertThat(post(s, "/api/backups", "{\"name\":\"first.zip\"}", su).statusCode()).isEqualTo(400);
            HttpResponse<byte[]> badName = post(s, "/api/backups", "{\"name\":\"../x.zip\"}", su);
            assertThat(badName.statusCode()).isEqualTo(400);
            assertThat(text(badName)).contains("validation_match_invalid");
            assertThat(post(s, "/api/backups", "{}", s.token("users", "test@example.com")).statusCode()).isEqualTo(403);

            HttpResponse<byte[]> list = s.get("/api/backups", "Authorization", su);
            assertThat(text(list)).startsWith("[{\"key\":\"first.zip\",\"size\":");
            assertThat(s.get("/api/backups/first.zip").statusCode()).isEqualTo(403);
            Collection users = s.app.findCollectionByNameOrId("users").orElseThrow();
            String userFileToken = s.app.newFileToken(s.app.findRecordsByField(users, "email", "test@example.com").getFirst());
            assertThat(s.get("/api/backups/first.zip?token=" + userFileToken).statusCode()).isEqualTo(403);
            Collection superusers = s.app.findCollectionByNameOrId("_superusers").orElseThrow();
            String suFileToken = s.app.newFileToken(
                    s.app.findRecordsByField(superusers, "email", "test@example.com").getFirst());
            HttpResponse<byte[]> zip = s.get("/api/backups/first.zip?token=" + suFileToken);
            assertThat(zip.statusCode()).isEqualTo(200);
            Map<String, byte[]> entries = unzip(zip.body());
            assertThat(entries).containsKeys("data.db", "auxiliary.db",
                    "storage/wsmn24bux7wo113/84nmscqy84lsi1t/test_QZFjKjXchk.txt");
            assertThat(entries.keySet()).noneMatch(k -> k.startsWith("backups/") || k.endsWith("-wal"));

            HttpResponse<byte[]> del = s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl()
                    + "/api/backups/first.zip")).DELETE(), "Authorization", su);
            assertThat(del.statusCode()).isEqualTo(204);
            assertThat(text(s.get("/api/backups", "Authorization", su)).strip()).isEqualTo("[]");
        }
    }

    @Test
    void restoreRoundTripsEveryRecordAndFile() throws IOException {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            Map<String, String> recordsBefore = allRecords(s);
            Map<String, Long> filesBefore = tree(s.storage());
            assertThat(post(s, "/api/backups", "{\"name\":\"snap.zip\"}", su).statusCode()).isEqualTo(204);

            // change records and files after the backup
            s.send("PATCH", "/api/collections/demo3/records/lcl9d87w22ml6jy", new FileTestServer.Multipart()
                    .field("title", "changed").file("files+", "later.txt", "later"), "Authorization", su);
            s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + "/api/collections/demo3/records/7nwo8tuiatetxdm"))
                    .DELETE(), "Authorization", su);
            assertThat(allRecords(s)).isNotEqualTo(recordsBefore);

            assertThat(post(s, "/api/backups/snap.zip/restore", "", su).statusCode()).isEqualTo(204);
            assertThat(allRecords(s)).isEqualTo(recordsBefore);
            assertThat(tree(s.storage())).isEqualTo(filesBefore);
            assertThat(s.get("/api/files/demo3/7nwo8tuiatetxdm/test_JnXeKEwgwr.txt").statusCode()).isEqualTo(200);
            assertThat(s.dataDir.resolve("backups/snap.zip")).exists();
            assertThat(s.dataDir.resolve(".pb_temp_to_delete")).isEmptyDirectory();
        }
    }

    @Test
    void uploadAcceptsOnlySafeZipsAndRestoreRefusesTraversal() {
        try (FileTestServer s = new FileTestServer(tmp)) {
            String su = s.superuser();
            HttpResponse<byte[]> notZip = s.send("POST", "/api/backups/upload", new FileTestServer.Multipart()
                    .file("file", "x.zip", "plain text"), "Authorization", su);
            assertThat(notZip.statusCode()).isEqualTo(400);
            assertThat(text(notZip)).contains("validation_invalid_mime_type");
            HttpResponse<byte[]> badName = s.send("POST", "/api/backups/upload", new FileTestServer.Multipart()
                    .file("file", "../Evil.zip", "application/zip", zip(Map.of("data.db", "x"))), "Authorization", su);
            assertThat(badName.statusCode()).isEqualTo(400);

            byte[] evil = zip(Map.of("data.db", "x", "../../escaped.txt", "boom"));
            assertThat(s.send("POST", "/api/backups/upload", new FileTestServer.Multipart()
                    .file("file", "evil.zip", "application/zip", evil), "Authorization", su).statusCode()).isEqualTo(204);
            HttpResponse<byte[]> restore = post(s, "/api/backups/evil.zip/restore", "", su);
            assertThat(restore.statusCode()).isEqualTo(400);
            assertThat(tmp.resolve("escaped.txt")).doesNotExist();
            assertThat(s.dataDir.getParent().resolve("escaped.txt")).doesNotExist();
            // the app still serves its own data
            assertThat(s.get("/api/collections/demo2/records").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<byte[]> post(FileTestServer s, String url, String json, String auth) {
        return s.send(HttpRequest.newBuilder(URI.create(s.server.baseUrl() + url))
                .POST(HttpRequest.BodyPublishers.ofString(json)), "Authorization", auth, "Content-Type", "application/json");
    }

    private static Map<String, String> allRecords(FileTestServer s) {
        Map<String, String> out = new TreeMap<>();
        for (Collection c : s.app.collections()) {
            if (c.isView()) {
                continue;
            }
            for (Record r : s.app.findRecordsBySql(c, "SELECT * FROM " + quote(c.tableName()), List.of())) {
                out.put(c.name() + "/" + r.id(), String.valueOf(new TreeMap<>(r.fieldValues())));
            }
        }
        return out;
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static Map<String, Long> tree(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.size(p));
            }
        }
        return out;
    }

    private static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> out = new TreeMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
