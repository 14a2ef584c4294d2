package io.pocketbus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStorageTest {
    private static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    @TempDir
    Path tmp;

    @Test
    void writesPocketBaseLayoutWithAttrsSidecar() throws Exception {
        LocalFileStorage storage = new LocalFileStorage(tmp.resolve("storage"));
        storage.write("c1/r1/a_b.txt", "hello".getBytes(StandardCharsets.UTF_8), ContentTypes.TEXT_PLAIN,
                Optional.of("a b.txt"));
        assertThat(Files.readString(tmp.resolve("storage/c1/r1/a_b.txt"))).isEqualTo("hello");
        assertThat(Files.readString(tmp.resolve("storage/c1/r1/a_b.txt.attrs"))).isEqualTo(
                "{\"user.cache_control\":\"\",\"user.content_disposition\":\"\",\"user.content_encoding\":\"\","
                        + "\"user.content_language\":\"\",\"user.content_type\":\"text/plain; charset=utf-8\","
                        + "\"user.metadata\":{\"original-filename\":\"a b.txt\"},\"md5\":\"XUFAKrxLKna5cZ2REBfFkg==\"}");
        assertThat(storage.attributes("c1/r1/a_b.txt")).get()
                .extracting(FileStorage.Attributes::size, FileStorage.Attributes::contentType)
                .containsExactly(5L, "text/plain; charset=utf-8");
        assertThat(storage.list("c1")).containsExactly("c1/r1/a_b.txt");
        assertThat(new String(storage.read("c1/r1/a_b.txt"), StandardCharsets.UTF_8)).isEqualTo("hello");
        storage.delete("c1/r1/a_b.txt");
        assertThat(storage.attributes("c1/r1/a_b.txt")).isEmpty();
        assertThat(tmp.resolve("storage/c1/r1/a_b.txt.attrs")).doesNotExist();
    }

    @Test
    void refusesEveryKeyThatCouldLeaveTheRoot() throws Exception {
        Path root = tmp.resolve("storage");
        Files.createDirectories(root);
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        LocalFileStorage storage = new LocalFileStorage(root);
        for (String bad : new String[] {"../secret.txt", "c/../../secret.txt", "/etc/passwd", "c//x", "c/./x",
                "c\\..\\x", "c/x\u0000", "", ".."}) {
            assertThatThrownBy(() -> storage.open(bad)).as(bad).isInstanceOf(ApiError.class);
            assertThatThrownBy(() -> storage.write(bad, new byte[1], "text/plain", Optional.empty())).as(bad)
                    .isInstanceOf(ApiError.class);
            assertThatThrownBy(() -> storage.deletePrefix(bad)).as(bad).isInstanceOf(ApiError.class);
        }
        Files.createSymbolicLink(root.resolve("link"), tmp);
        assertThatThrownBy(() -> storage.open("link/secret.txt")).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> storage.write("link/new.txt", new byte[1], "text/plain", Optional.empty()))
                .isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> storage.deletePrefix("link")).isInstanceOf(ApiError.class);
        assertThat(tmp.resolve("secret.txt")).hasContent("secret");
        assertThat(tmp.resolve("new.txt")).doesNotExist();
    }

    @Test
    void storedNamesFollowPocketBase() {
        assertThat(FileUpload.of("My Photo (1).PNG", PNG_HEAD).storedName()).matches("my_photo_1_[a-z0-9]{10}\\.PNG");
        assertThat(FileUpload.of("archive.tar.gz", new byte[] {0x1F, (byte) 0x8B}).storedName())
                .matches("archive_[a-z0-9]{10}\\.tar\\.gz");
        assertThat(FileUpload.of("../../etc/passwd", "x".getBytes(StandardCharsets.UTF_8)).storedName())
                .matches("passwd_[a-z0-9]{10}\\.txt");
        assertThat(FileUpload.of("a", PNG_HEAD).storedName()).matches("a[A-Za-z0-9]{10}_[a-z0-9]{10}\\.png");
        assertThat(FileUpload.of("camelCaseName.txt", new byte[0]).storedName())
                .matches("camel_case_name_[a-z0-9]{10}\\.txt");
    }

    @Test
    void contentTypeComesFromTheBytes() {
        assertThat(FileUpload.of("fake.png", "just text".getBytes(StandardCharsets.UTF_8)).contentType())
                .isEqualTo("text/plain; charset=utf-8");
        assertThat(FileUpload.of("image.txt", PNG_HEAD).contentType()).isEqualTo("image/png");
        assertThat(ContentTypes.detect("<svg xmlns=\"x\"/>".getBytes(StandardCharsets.UTF_8), "a"))
                .isEqualTo("image/svg+xml");
        assertThat(ContentTypes.detect(new byte[] {0, 1, 2, (byte) 0xFE}, "a")).isEqualTo("application/octet-stream");
    }
}
